using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Ripcord.Client.Models;

namespace Ripcord.Client;

public sealed partial class RipcordClient
{
    /// <summary>
    /// Starts a case of a registered process (<c>POST /api/v1/cases</c>, role operator). Starting an existing
    /// <see cref="StartCaseOptions.CaseId"/> again returns that case (<see cref="StartCaseResult.Created"/> is then false).
    /// </summary>
    /// <param name="options">The process, input and optional case id, admins and cancel overrides.</param>
    /// <param name="cancellationToken">Stops waiting for the answer (the case may still start).</param>
    /// <returns>A handle to the case, with the server's answer in <see cref="CaseHandle.StartResult"/>.</returns>
    /// <exception cref="InvalidRequestException">The process name is missing or the body is invalid.</exception>
    /// <exception cref="ProcessNotFoundException">No process has that name.</exception>
    /// <exception cref="ForbiddenException">The API key may not start cases.</exception>
    public async Task<CaseHandle> StartCaseAsync(StartCaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Process, nameof(options) + "." + nameof(options.Process));
        var body = new StartCaseRequest(options.Process, options.CaseId, options.Input, options.Admins, options.Cancel);
        using var response = await SendAsync(HttpMethod.Post, "api/v1/cases", body, cancellationToken).ConfigureAwait(false);
        var result = await ReadJsonAsync<StartCaseResult>(response, cancellationToken).ConfigureAwait(false);
        result = result with { Created = response.StatusCode == HttpStatusCode.Created };
        return new CaseHandle(this, result.CaseId, result);
    }

    /// <summary>Returns a handle to an existing case without calling the server.</summary>
    /// <param name="caseId">The case id.</param>
    /// <returns>The handle; its calls throw <see cref="CaseNotFoundException"/> if no such case exists.</returns>
    public CaseHandle GetCase(string caseId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseId);
        return new CaseHandle(this, caseId, startResult: null);
    }

    /// <summary>Lists one page of case summaries (<c>GET /api/v1/cases</c>, role viewer).</summary>
    /// <param name="options">Filters and the page cursor; <see langword="null"/> for the first page of every case.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The page, with <see cref="CasePage.Next"/> set when there are more.</returns>
    public async Task<CasePage> ListCasesAsync(ListCasesOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder("api/v1/cases");
        var separator = '?';
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        if (options is not null)
        {
            Add("status", options.Status is { } status ? SnakeCaseEnumConverter<CaseStatus>.ToWireName(status) : null);
            Add("process", options.Process);
            Add("limit", options.Limit?.ToString(CultureInfo.InvariantCulture));
            Add("after", options.After);
        }

        using var response = await SendAsync(HttpMethod.Get, query.ToString(), body: null, cancellationToken).ConfigureAwait(false);
        var document = await ReadJsonAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
        return ParseCasePage(document);
    }

    /// <summary>Enumerates every case matching the filters, following the cursor page by page.</summary>
    /// <param name="options">Filters; <see cref="ListCasesOptions.After"/> sets where to begin.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The summaries, in the server's order.</returns>
    public async IAsyncEnumerable<CaseSummary> ListAllCasesAsync(ListCasesOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new ListCasesOptions
        {
            Status = options?.Status,
            Process = options?.Process,
            Limit = options?.Limit,
            After = options?.After,
        };
        while (true)
        {
            var result = await ListCasesAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var summary in result.Cases)
            {
                yield return summary;
            }

            if (string.IsNullOrEmpty(result.Next) || result.Cases.Count == 0)
            {
                yield break;
            }

            page.After = result.Next;
        }
    }

    // The API names the list's fields loosely ("lists summaries"), so both a bare array and a wrapper object are accepted.
    private static CasePage ParseCasePage(JsonElement document)
    {
        if (document.ValueKind == JsonValueKind.Array)
        {
            return new CasePage { Cases = document.Deserialize<List<CaseSummary>>(RipcordJson.Options) ?? [] };
        }

        if (document.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"Expected a JSON array or object listing cases, got {document.ValueKind}.");
        }

        List<CaseSummary> cases = [];
        string? next = null;
        foreach (var property in document.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array
                && property.Name is "cases" or "items" or "data" or "results")
            {
                cases = property.Value.Deserialize<List<CaseSummary>>(RipcordJson.Options) ?? [];
            }
            else if (property.Value.ValueKind == JsonValueKind.String
                && property.Name is "next" or "nextCursor" or "cursor" or "after")
            {
                next = property.Value.GetString();
            }
        }

        return new CasePage { Cases = cases, Next = next };
    }

    private sealed record StartCaseRequest(string Process, string? CaseId, object? Input, IReadOnlyList<string>? Admins, CancelDefaults? Cancel);
}
