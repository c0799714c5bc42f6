using Microsoft.Extensions.Options;

namespace Ripcord.Grains.Resources;

/// <summary>Names each unusable entry of <see cref="ResourceOptions.AllowedReleaseHosts"/> by its key when the host starts.</summary>
internal sealed class ResourceOptionsValidator : IValidateOptions<ResourceOptions>
{
    public ValidateOptionsResult Validate(string? name, ResourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = options.AllowedReleaseHosts
            .Select((entry, i) => ReleaseHostPolicy.Fault(entry) is { } fault ? $"{ResourceOptions.Section}:AllowedReleaseHosts:{i} {fault}" : null)
            .OfType<string>()
            .ToList();
        return faults.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(faults);
    }
}
