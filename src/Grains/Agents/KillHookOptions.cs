using Microsoft.Extensions.Options;
using Ripcord.Grains.Outbox;

namespace Ripcord.Grains.Agents;

/// <summary>Settings of agents' kill hooks, section <see cref="Section"/>.</summary>
public sealed class KillHookOptions
{
    public const string Section = "Ripcord:Agents";

    /// <summary>
    /// The hosts a kill hook may call (entries as <see cref="HostAllowList"/> reads them). Empty, the default: a poll
    /// that names a kill hook is refused, so an agent cannot make the silo call an address the operator did not choose.
    /// </summary>
    public List<string> AllowedKillHookHosts { get; } = [];
}

/// <summary>Names each unusable entry of <see cref="KillHookOptions.AllowedKillHookHosts"/> by its key when the host starts.</summary>
internal sealed class KillHookOptionsValidator : IValidateOptions<KillHookOptions>
{
    public ValidateOptionsResult Validate(string? name, KillHookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = HostAllowList.Faults(options.AllowedKillHookHosts, $"{KillHookOptions.Section}:AllowedKillHookHosts").ToList();
        return faults.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(faults);
    }
}
