using Microsoft.Extensions.Logging;
using Ripcord.Runtime.Diagnostics;

namespace Ripcord.Runtime;

public sealed partial class GrainRuntime
{
    [LoggerMessage(EventIds.RuntimeStarted, LogLevel.Information, "Grain runtime {SiloId} started with {Workers} workers on {Store}")]
    private partial void LogStarted(string siloId, int workers, string store);

    [LoggerMessage(EventIds.RuntimeStopped, LogLevel.Information, "Grain runtime {SiloId} stopped")]
    private partial void LogStopped(string siloId);

    [LoggerMessage(EventIds.StopTimedOut, LogLevel.Warning, "Grain runtime {SiloId} stopped before every turn in flight finished")]
    private partial void LogStopTimedOut(string siloId);

    [LoggerMessage(EventIds.HandlerFailed, LogLevel.Warning, "Handler of {Grain} failed on message {MessageId} (try {Attempt} of {MaxAttempts})")]
    private partial void LogHandlerFailed(Exception exception, GrainId grain, long messageId, int attempt, int maxAttempts);

    [LoggerMessage(EventIds.MessageDeadLettered, LogLevel.Error, "Message {MessageId} to {Grain} dead-lettered after {Attempts} tries: {Error}")]
    private partial void LogDeadLettered(GrainId grain, long messageId, int attempts, string error);

    [LoggerMessage(EventIds.StaleCommit, LogLevel.Information, "Commit of {Grain} rejected; dropping the activation: {Detail}")]
    private partial void LogStaleCommit(GrainId grain, string detail);

    [LoggerMessage(EventIds.StoreFailed, LogLevel.Warning, "Store call for {Grain} failed; the turn will be retried")]
    private partial void LogStoreFailed(Exception exception, GrainId grain);

    [LoggerMessage(EventIds.ActivationRefused, LogLevel.Debug, "{Grain} is held by another silo")]
    private partial void LogActivationRefused(GrainId grain);

    [LoggerMessage(EventIds.OutboxFailed, LogLevel.Warning, "Outbox item {ItemId} ({Topic}) failed; it will be retried")]
    private partial void LogOutboxFailed(Exception exception, long itemId, string topic);

    [LoggerMessage(EventIds.OutboxUnhandled, LogLevel.Debug, "No outbox handler for topic {Topic}; item {ItemId} dropped")]
    private partial void LogOutboxUnhandled(string topic, long itemId);

    [LoggerMessage(EventIds.ReminderFailed, LogLevel.Warning, "Firing due reminders failed")]
    private partial void LogReminderFailed(Exception exception);

    [LoggerMessage(EventIds.PollFailed, LogLevel.Warning, "Polling the store for work failed")]
    private partial void LogPollFailed(Exception exception);
}
