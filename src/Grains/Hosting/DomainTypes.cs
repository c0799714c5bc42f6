using System.Collections.Immutable;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains;

/// <summary>
/// Every type the domain puts in a store: grain states, messages (including reminder messages), replies and outbox
/// payloads. A durable store that serializes <c>object</c> bodies registers these (all round-trip through
/// System.Text.Json with <see cref="Contracts.RipcordJson.Options"/>).
/// </summary>
public static class DomainTypes
{
    public static readonly ImmutableArray<Type> States = [typeof(CaseState), typeof(TaskState), typeof(RegistryState), typeof(ProcessRecord)];

    public static readonly ImmutableArray<Type> Messages =
    [
        typeof(StartCase), typeof(CancelCase), typeof(ConfirmCancel), typeof(OverrideCancel), typeof(CancelActivity),
        typeof(TaskEnded), typeof(ResourcesSettled), typeof(CancelHoldExpired), typeof(RateOutput),
        typeof(StartTask), typeof(CancelTask), typeof(ClaimTask), typeof(Heartbeat), typeof(CompleteTask), typeof(AckCancel),
        typeof(FailTask), typeof(RegisterResource), typeof(FreeResource), typeof(LeaseExpired), typeof(TaskTimedOut),
        typeof(EscalationDue), typeof(KillHookCalled), typeof(ReadyAnnounceDue), typeof(CancelSignalPushed),
        typeof(AddResource), typeof(ResourceFreed), typeof(ReleaseTaskResources), typeof(CloseRegistry),
        typeof(ReleaseAttemptCompleted), typeof(ReleaseRetryDue), typeof(ReleaseAttemptTimedOut),
        typeof(RegisterProcess),
    ];

    public static readonly ImmutableArray<Type> Replies =
    [
        typeof(StartCaseResult), typeof(CancelCaseResult), typeof(CancelActivityResult), typeof(ClaimResult),
        typeof(HeartbeatResult), typeof(TaskCommandResult), typeof(RateOutputResult), typeof(ProcessRegistration),
    ];

    public static readonly ImmutableArray<Type> OutboxPayloads =
    [
        typeof(TaskReadyNotice), typeof(CancelSignalNotice), typeof(ResourceReleaseRequest), typeof(AgentKillRequest),
    ];
}
