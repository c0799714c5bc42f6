using Ripcord.Silo.Hosting;

namespace Ripcord.Deploy.Tests.Manifests;

/// <summary>One environment variable a deployment file gives the silo, and where it is set.</summary>
public sealed record ConfigurationSetting(string File, string Where, string EnvironmentVariable)
{
    /// <summary>The configuration key the silo sees.</summary>
    public string Key => ConfigurationKeys.FromEnvironmentVariable(EnvironmentVariable);

    public override string ToString() => $"{File} ({Where}): {EnvironmentVariable} -> {Key}";
}
