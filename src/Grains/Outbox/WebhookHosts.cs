using Microsoft.Extensions.Options;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Resources;

namespace Ripcord.Grains.Outbox;

/// <summary>
/// The operator's allow lists for the URLs agents hand the silo: release webhooks
/// (<c>Ripcord:Resources:AllowedReleaseHosts</c>) and kill hooks (<c>Ripcord:Agents:AllowedKillHookHosts</c>). Both
/// are empty by default: the silo calls nothing an agent names until the operator says where it may.
/// </summary>
public sealed class WebhookHosts(IOptions<ResourceOptions> resources, IOptions<KillHookOptions> killHooks)
{
    public HostAllowList Releases { get; } = new(resources.Value.AllowedReleaseHosts);

    public HostAllowList KillHooks { get; } = new(killHooks.Value.AllowedKillHookHosts);
}
