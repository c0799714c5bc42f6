namespace Ripcord.Cli;

/// <summary>The CLI's exit codes; scripts may rely on them (docs/sdk.md lists them).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Unexpected = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int NotAuthorized = 4;
    public const int NotFound = 5;
    public const int Conflict = 6;
    public const int Rejected = 7;
    public const int ServerError = 8;
}
