using Microsoft.Extensions.Options;
using Ripcord.Grains.Outbox;

namespace Ripcord.Grains.Resources;

/// <summary>Names each unusable entry of <see cref="ResourceOptions.AllowedReleaseHosts"/> by its key when the host starts.</summary>
internal sealed class ResourceOptionsValidator : IValidateOptions<ResourceOptions>
{
    public ValidateOptionsResult Validate(string? name, ResourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = HostAllowList.Faults(options.AllowedReleaseHosts, $"{ResourceOptions.Section}:AllowedReleaseHosts").ToList();
        return faults.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(faults);
    }
}
