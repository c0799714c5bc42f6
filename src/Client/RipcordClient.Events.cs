using System.Runtime.CompilerServices;
using System.Text.Json;
using Ripcord.Client.Models;
using Ripcord.Client.Sse;

namespace Ripcord.Client;

public sealed partial class RipcordClient
{
    internal async IAsyncEnumerable<CaseEvent> WatchCaseAsync(CaseHandle handle, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = "api/v1/cases/" + Escape(handle.CaseId) + "/events";
        var parser = new SseParser(options.LastEventId);
        var failures = 0;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sawClosingEvent = false;
            var connection = new StreamConnection();
            await foreach (var sseEvent in ReadConnectionAsync(path, parser, connection, cancellationToken).ConfigureAwait(false))
            {
                var caseEvent = ToCaseEvent(sseEvent, handle.CaseId);
                if (caseEvent is null)
                {
                    continue;
                }

                failures = 0;
                yield return caseEvent;
                if (options.StopWhenClosed && IsClosingEvent(caseEvent))
                {
                    sawClosingEvent = true;
                    break;
                }
            }

            var drop = connection.Drop;
            if (drop is null && options.StopWhenClosed)
            {
                // The stream ended or announced the end: ask the case itself so a server restart is not taken for the end.
                var description = await handle.DescribeAsync(cancellationToken).ConfigureAwait(false);
                if (IsClosed(description.Status))
                {
                    yield break;
                }

                if (sawClosingEvent)
                {
                    continue;
                }
            }

            if (drop is not null && ++failures > options.MaxReconnectAttempts)
            {
                throw new IOException($"The event stream of case '{handle.CaseId}' dropped and {options.MaxReconnectAttempts} reconnects failed: {drop.Message}", drop);
            }

            var delay = parser.Retry ?? options.ReconnectDelay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> once and yields its events until the stream ends; a transient failure (refused
    /// connection, dropped stream) ends the enumeration and is left in <paramref name="connection"/> for the caller's
    /// reconnect policy. Leaving the enumeration early closes the response.
    /// </summary>
    internal async IAsyncEnumerable<SseEvent> ReadConnectionAsync(string path, SseParser parser, StreamConnection connection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await OpenStreamAsync(path, parser.LastEventId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsTransient(exception, cancellationToken))
        {
            connection.Drop = exception;
            yield break;
        }

        using (response)
        {
            connection.Opened = true;
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var events = parser.ReadAsync(stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (events.ConfigureAwait(false))
            {
                while (true)
                {
                    bool hasEvent;
                    try
                    {
                        hasEvent = await events.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception exception) when (IsTransient(exception, cancellationToken))
                    {
                        connection.Drop = exception;
                        yield break;
                    }

                    if (!hasEvent)
                    {
                        yield break;
                    }

                    yield return events.Current;
                }
            }
        }
    }

    internal static bool IsClosed(CaseStatus status) => status is CaseStatus.Completed or CaseStatus.Failed or CaseStatus.Cancelled;

    // A hint only: the end is confirmed by reading the case, so an unknown event name costs nothing but a reconnect.
    private static bool IsClosingEvent(CaseEvent caseEvent) =>
        caseEvent.TaskId is null
        && caseEvent.Type is "case_completed" or "case_failed" or "case_cancelled" or "completed" or "failed" or "cancelled";

    private static CaseEvent? ToCaseEvent(SseEvent sseEvent, string caseId)
    {
        if (string.IsNullOrWhiteSpace(sseEvent.Data))
        {
            return null;
        }

        CaseEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<CaseEvent>(sseEvent.Data, RipcordJson.Options);
        }
        catch (JsonException)
        {
            // Keep-alives or event kinds this client does not know are skipped rather than ending the watch.
            return null;
        }

        if (parsed is null)
        {
            return null;
        }

        var type = string.IsNullOrEmpty(parsed.Type) && sseEvent.EventType != "message" ? sseEvent.EventType : parsed.Type;
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        return parsed with { Type = type, CaseId = parsed.CaseId ?? caseId, StreamId = sseEvent.LastEventId };
    }

    internal static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && exception switch
        {
            HttpRequestException => true,
            IOException => true,
            OperationCanceledException => true,
            RipcordException ripcord => ripcord.Status >= 500,
            _ => false,
        };
}
