namespace Ripcord.Silo.Api;

/// <summary>The stable <c>code</c> values of problem-details responses (API.md). Clients switch on these, never on text.</summary>
public static class ProblemCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidDefinition = "invalid_definition";
    public const string CaseNotFound = "case_not_found";
    public const string TaskNotFound = "task_not_found";
    public const string ProcessNotFound = "process_not_found";
    public const string ResourceNotFound = "resource_not_found";
    public const string ReleaseHostNotAllowed = "release_host_not_allowed";
    public const string KillHookHostNotAllowed = "kill_hook_host_not_allowed";
    public const string Forbidden = "forbidden";
    public const string Unauthenticated = "unauthenticated";
    public const string LeaseLost = "lease_lost";
    public const string TaskCancelled = "task_cancelled";
    public const string Conflict = "conflict";
    public const string ReadOnly = "read_only";
    public const string NotFound = "not_found";
    public const string PayloadTooLarge = "payload_too_large";
    public const string CheckpointTooLarge = "checkpoint_too_large";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal_error";
}
