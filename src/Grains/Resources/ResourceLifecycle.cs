using Ripcord.Contracts;

namespace Ripcord.Grains.Resources;

/// <summary>
/// The resource lifecycle: the only place a resource's status changes. Allowed moves:
/// <code>
/// held      -> releasing | released (freed by its agent) | orphaned (no release action)
/// releasing -> released | orphaned (attempts exhausted)
/// released, orphaned: terminal
/// </code>
/// </summary>
public static class ResourceLifecycle
{
    public static bool IsTerminal(ResourceStatus status) => status is ResourceStatus.Released or ResourceStatus.Orphaned;

    public static bool CanMove(ResourceStatus from, ResourceStatus to) => from switch
    {
        ResourceStatus.Held => to is ResourceStatus.Releasing or ResourceStatus.Released or ResourceStatus.Orphaned,
        ResourceStatus.Releasing => to is ResourceStatus.Released or ResourceStatus.Orphaned,
        _ => false,
    };

    public static ResourceEntry Transition(ResourceEntry entry, ResourceStatus to, string caseId, string actor, string? reason, EffectBuffer effects)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(effects);
        if (!CanMove(entry.Status, to))
        {
            throw new InvalidStatusTransitionException("resource", $"resource '{caseId}/{entry.ResourceId}'", ApiNames.Of(entry.Status), ApiNames.Of(to));
        }

        effects.History("resource_" + ApiNames.Of(to), actor, reason, entry.TaskId, new
        {
            resourceId = entry.ResourceId,
            kind = entry.Kind,
            from = ApiNames.Of(entry.Status),
            to = ApiNames.Of(to),
            attempts = entry.Attempts,
        });
        return entry with
        {
            Status = to,
            EndedAt = IsTerminal(to) ? effects.Now : entry.EndedAt,
            Reason = reason ?? entry.Reason,
        };
    }
}
