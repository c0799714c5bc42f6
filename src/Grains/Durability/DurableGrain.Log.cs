using Microsoft.Extensions.Logging;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Durability;

internal static partial class DurableGrainLog
{
    [LoggerMessage(GrainEventIds.DeliveryFailed, LogLevel.Warning, "Grain {Grain} could not deliver outbox entry {Sequence} ({Kind}); retrying in {Delay}")]
    public static partial void DeliveryFailed(ILogger logger, string grain, long sequence, OutboxKind kind, TimeSpan delay, Exception exception);

    [LoggerMessage(GrainEventIds.HandlerFailed, LogLevel.Error, "Grain {Grain} refused message {Message}: its machine threw")]
    public static partial void MachineFailed(ILogger logger, string grain, string message, Exception exception);

    [LoggerMessage(GrainEventIds.StaleWrite, LogLevel.Warning, "Grain {Grain} lost a write to another activation; this one deactivates and nothing of its turn leaves")]
    public static partial void StaleWrite(ILogger logger, string grain);

    [LoggerMessage(GrainEventIds.DeadlineFailed, LogLevel.Error, "Grain {Grain} dropped deadline {Deadline}: its machine threw")]
    public static partial void DeadlineFailed(ILogger logger, string grain, string deadline, Exception exception);

    [LoggerMessage(GrainEventIds.CompactionFailed, LogLevel.Warning, "Grain {Grain} could not drop its delivered outbox entries; the next turn will")]
    public static partial void CompactionFailed(ILogger logger, string grain, Exception exception);
}
