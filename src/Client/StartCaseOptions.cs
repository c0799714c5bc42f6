using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary>Options of <see cref="RipcordClient.StartCaseAsync"/>.</summary>
public sealed class StartCaseOptions
{
    /// <summary>The name of the registered process to run. Required.</summary>
    public string Process { get; set; } = string.Empty;

    /// <summary>The case id; starting the same id again returns the existing case. Default: the server chooses one.</summary>
    public string? CaseId { get; set; }

    /// <summary>The case input: any value that serializes to JSON (camelCase), e.g. an anonymous object or a <see cref="System.Text.Json.JsonElement"/>. Default none.</summary>
    public object? Input { get; set; }

    /// <summary>Principals besides the starter who may administer (cancel) the case. Default none.</summary>
    public IReadOnlyList<string>? Admins { get; set; }

    /// <summary>Overrides of the process's cancel defaults for this case. Default none.</summary>
    public CancelDefaults? Cancel { get; set; }
}
