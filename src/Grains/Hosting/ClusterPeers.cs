using System.Runtime.CompilerServices;

namespace Ripcord.Grains;

/// <summary>This silo's view of the other silos: for an activation that hands its work over as it ends, and for what a silo's death sets off.</summary>
public sealed class ClusterPeers(IClusterMembershipService membership, ILocalSiloDetails silo)
{
    /// <summary>
    /// The cluster's membership each time a silo is newly declared dead (not for those dead before this started), until
    /// <paramref name="cancellationToken"/> is cancelled, which ends the sequence with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async IAsyncEnumerable<ClusterMembershipSnapshot> SilosDied([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dead = new HashSet<SiloAddress>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Dead)
            {
                dead.Add(member.SiloAddress);
            }
        }

        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var died = false;
            foreach (var member in snapshot.Members.Values)
            {
                died |= member.Status == SiloStatus.Dead && dead.Add(member.SiloAddress);
            }

            if (died)
            {
                yield return snapshot;
            }
        }
    }

    /// <summary>Whether this silo is the active one with the lowest address in <paramref name="snapshot"/>: the one survivor that acts for all.</summary>
    public bool IsLowestActive(ClusterMembershipSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && member.SiloAddress.CompareTo(silo.SiloAddress) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the cluster, as this silo sees it, has an active silo besides this one.</summary>
    public bool AnotherSiloActive()
    {
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && !member.SiloAddress.Equals(silo.SiloAddress))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an activation ending for <paramref name="reason"/> has somewhere to hand its work to: anywhere unless its
    /// silo is stopping, then only while another silo is active.
    /// </summary>
    public bool CanHandOver(DeactivationReason reason) => reason.ReasonCode != DeactivationReasonCode.ShuttingDown || AnotherSiloActive();

    /// <summary>
    /// Whether an in-memory grain (a ready-task partition, an agent's signal fan-out) ending for <paramref name="reason"/>
    /// hands its entries and subscribers over: as <see cref="CanHandOver"/>, but not when it ends idle, since then no
    /// subscriber renewed and no task announced itself for the collection age and what it holds has lapsed.
    /// </summary>
    public bool CanHandOverMemory(DeactivationReason reason) => reason.ReasonCode != DeactivationReasonCode.ActivationIdle && CanHandOver(reason);
}
