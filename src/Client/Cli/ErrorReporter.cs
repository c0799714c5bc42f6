using System.Net.Sockets;
using Ripcord.Client;

namespace Ripcord.Cli;

/// <summary>Turns any failure of a command into one line naming the fault, and an exit code.</summary>
internal static class ErrorReporter
{
    public static (string Message, int ExitCode) Describe(Exception exception, Uri server, string? apiKey) => exception switch
    {
        CliUsageException usage => (usage.Message, ExitCodes.Usage),
        ArgumentException argument => (argument.Message, ExitCodes.Usage),
        RipcordException ripcord => DescribeProblem(ripcord, apiKey),
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } =>
            ($"cannot connect to the Ripcord server at {server} (connection refused). Is it running? Set --server or RIPCORD_SERVER.", ExitCodes.Unreachable),
        HttpRequestException http =>
            ($"cannot reach the Ripcord server at {server}: {http.Message} Set --server or RIPCORD_SERVER.", ExitCodes.Unreachable),
        TimeoutException timeout => ($"timed out: {timeout.Message}", ExitCodes.Unreachable),
        IOException io => ($"the connection to {server} broke: {io.Message}", ExitCodes.Unreachable),
        _ => ($"unexpected error ({exception.GetType().Name}): {exception.Message}", ExitCodes.Unexpected),
    };

    private static (string Message, int ExitCode) DescribeProblem(RipcordException exception, string? apiKey)
    {
        var detail = string.IsNullOrWhiteSpace(exception.Detail) ? string.Empty : ": " + exception.Detail;
        return exception.Code switch
        {
            "unauthenticated" => (apiKey is null
                ? "unauthenticated (401): no API key given. Pass --api-key or set RIPCORD_API_KEY."
                : $"unauthenticated (401): the server does not know this API key{detail}. Check --api-key or RIPCORD_API_KEY.", ExitCodes.NotAuthorized),
            "forbidden" => ($"forbidden (403): this API key lacks the rights for that call{detail}", ExitCodes.NotAuthorized),
            "case_not_found" => ($"case not found (case_not_found){detail}", ExitCodes.NotFound),
            "task_not_found" => ($"task not found (task_not_found){detail}", ExitCodes.NotFound),
            "process_not_found" => ($"process not found (process_not_found){detail}", ExitCodes.NotFound),
            "invalid_definition" => ($"the process definition is invalid (invalid_definition){detail}", ExitCodes.Rejected),
            "invalid_request" => ($"the server rejected the request (invalid_request){detail}", ExitCodes.Rejected),
            "lease_lost" => ($"the task's lease was fenced or moved (lease_lost){detail}", ExitCodes.Conflict),
            "task_cancelled" => ($"the task was already cancelled (task_cancelled){detail}", ExitCodes.Conflict),
            "conflict" => ($"conflict with the case's current state (conflict){detail}", ExitCodes.Conflict),
            _ => exception.Status switch
            {
                404 => ($"not found ({exception.Code}){detail}", ExitCodes.NotFound),
                409 => ($"conflict ({exception.Code}){detail}", ExitCodes.Conflict),
                >= 400 and < 500 => ($"the server rejected the request ({exception.Code}, HTTP {exception.Status}){detail}", ExitCodes.Rejected),
                _ => ($"the server failed ({exception.Code}, HTTP {exception.Status}){detail}", ExitCodes.ServerError),
            },
        };
    }
}
