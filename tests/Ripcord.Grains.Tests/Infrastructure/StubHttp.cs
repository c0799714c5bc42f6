using System.Collections.Concurrent;
using System.Net;

namespace Ripcord.Grains.Tests;

/// <summary>Answers every HTTP call with <see cref="Responder"/>'s status code and records it; also the client factory.</summary>
public sealed class StubHttp : HttpMessageHandler, IHttpClientFactory
{
    public Func<HttpRequestMessage, HttpStatusCode> Responder { get; set; } = _ => HttpStatusCode.OK;

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    public int CountCalls(string url) => Calls.Count(c => c.Url == url);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Calls.Enqueue(new RecordedCall(request.Method.Method, request.RequestUri!.ToString(), body));
        return new HttpResponseMessage(Responder(request));
    }

    public sealed record RecordedCall(string Method, string Url, string? Body);
}
