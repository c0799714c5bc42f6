using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ripcord.Client;

/// <summary>
/// Client of the Ripcord HTTP API (version 1): start, inspect, watch and cancel cases, manage process definitions,
/// and, for agents written by hand, the agent protocol. Thread safe; create one per server and reuse it
/// (<c>services.AddRipcordClient(...)</c> registers one as a singleton).
/// </summary>
/// <example>
/// <code>
/// var handle = await client.StartCaseAsync(new StartCaseOptions { Process = "report", Input = new { topic = "GPUs" } });
/// var result = await handle.CancelAsync(new CancelOptions { Mode = CancelMode.Force, Reason = "budget" });
/// </code>
/// </example>
public sealed partial class RipcordClient : IDisposable
{
    private const string JsonMediaType = "application/json";

    private readonly HttpClient _httpClient;
    private readonly bool _disposeHttpClient;
    private readonly Uri _baseAddress;
    private readonly string? _apiKey;
    private readonly TimeSpan _requestTimeout;

    /// <summary>Creates a client with its own connection pool.</summary>
    /// <param name="options">The server address and API key; copied, later changes have no effect.</param>
    public RipcordClient(RipcordClientOptions options)
        : this(CreateHttpClient(), options, disposeHttpClient: true)
    {
    }

    /// <summary>Creates a client over an existing <see cref="HttpClient"/>, which the caller keeps owning.</summary>
    /// <param name="httpClient">The HTTP client to send requests with. Its <see cref="HttpClient.BaseAddress"/> and default headers are not used.</param>
    /// <param name="options">The server address and API key; copied, later changes have no effect.</param>
    public RipcordClient(HttpClient httpClient, RipcordClientOptions options)
        : this(httpClient, options, disposeHttpClient: false)
    {
    }

    private RipcordClient(HttpClient httpClient, RipcordClientOptions options, bool disposeHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"{nameof(RipcordClientOptions.BaseAddress)} must be an absolute URI such as http://localhost:5000.", nameof(options));
        }

        _httpClient = httpClient;
        _disposeHttpClient = disposeHttpClient;
        // Relative paths resolve below the base only when it ends with a slash (http://host/ripcord/ + api/v1/...).
        var text = options.BaseAddress.AbsoluteUri;
        _baseAddress = new Uri(text.EndsWith('/') ? text : text + "/");
        _apiKey = string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey;
        _requestTimeout = options.RequestTimeout;
    }

    /// <summary>The server's base address this client talks to.</summary>
    public Uri BaseAddress => _baseAddress;

    internal string? ApiKey => _apiKey;

    /// <summary>Disposes the connection pool when the client created it.</summary>
    public void Dispose()
    {
        if (_disposeHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private static HttpClient CreateHttpClient()
    {
        // Streams and long polls outlive HttpClient's default 100 s timeout; each call sets its own limit instead.
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    internal static string Escape(string segment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(segment);
        return Uri.EscapeDataString(segment);
    }

    internal async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken, TimeSpan? extraTime = null)
    {
        using var response = await SendAsync(method, path, body, cancellationToken, extraTime).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, TimeSpan? extraTime = null)
    {
        using var request = CreateRequest(method, path, body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout + (extraTime ?? TimeSpan.Zero));
        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The Ripcord server at {_baseAddress} did not answer {method} {path} within {_requestTimeout + (extraTime ?? TimeSpan.Zero)}.", exception);
        }

        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    internal async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Get, path, body: null);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (!string.IsNullOrEmpty(lastEventId))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    internal static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"Expected a JSON body in the answer to {response.RequestMessage?.RequestUri}, got 204 No Content.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var value = await JsonSerializer.DeserializeAsync<T>(stream, RipcordJson.Options, cancellationToken).ConfigureAwait(false);
                return value ?? throw new JsonException("The body was JSON null.");
            }
            catch (JsonException exception)
            {
                throw new InvalidOperationException($"The server's answer to {response.RequestMessage?.RequestUri} is not the JSON the API defines: {exception.Message}", exception);
            }
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseAddress, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), RipcordJson.Options);
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType) { CharSet = "utf-8" };
        }

        return request;
    }

    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }
}
