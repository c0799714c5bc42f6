namespace Ripcord.Grains.Resources;

/// <summary>Settings of resource releases, section <see cref="Section"/>.</summary>
public sealed class ResourceOptions
{
    public const string Section = "Ripcord:Resources";

    /// <summary>
    /// The hosts a release webhook may call (entries as <see cref="Outbox.HostAllowList"/> reads them): a host name or
    /// IP address, with <c>:port</c> to allow that port only, or <c>*.example.com</c> for the subdomains of a domain.
    /// Empty, the default: no webhook release is accepted, so an agent cannot make the silo call an address the
    /// operator did not choose (a cloud metadata endpoint, a service inside the network).
    /// </summary>
    public List<string> AllowedReleaseHosts { get; } = [];
}
