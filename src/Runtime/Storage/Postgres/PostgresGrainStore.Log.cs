using Microsoft.Extensions.Logging;
using Ripcord.Runtime.Diagnostics;

namespace Ripcord.Runtime.Storage.Postgres;

public sealed partial class PostgresGrainStore
{
    [LoggerMessage(EventIds.SchemaMigrated, LogLevel.Information, "Schema {Schema} migrated to version {Version} ({Applied} migrations applied)")]
    private partial void LogSchemaMigrated(string schema, int version, int applied);

    [LoggerMessage(EventIds.SiloRegistered, LogLevel.Information, "Silo {SiloId} joined the cluster in schema {Schema}")]
    private partial void LogSiloRegistered(string siloId, string schema);

    [LoggerMessage(EventIds.SiloLeft, LogLevel.Information, "Silo {SiloId} left the cluster and handed its leases back")]
    private partial void LogSiloLeft(string siloId);

    [LoggerMessage(EventIds.ListenConnected, LogLevel.Debug, "Listening on {Channel} (after {Failures} failed attempts)")]
    private partial void LogListenConnected(string channel, int failures);

    [LoggerMessage(EventIds.ListenConnectionLost, LogLevel.Warning, "LISTEN connection for {Channel} lost (attempt {Failures}); reconnecting, polling covers the gap")]
    private partial void LogListenConnectionLost(Exception exception, string channel, int failures);

    [LoggerMessage(EventIds.NotificationMalformed, LogLevel.Warning, "Ignored a malformed notification: {Payload}")]
    private partial void LogNotificationMalformed(string payload);

    [LoggerMessage(EventIds.ReplyFetchFailed, LogLevel.Warning, "Fetching replies failed; polling will fetch them")]
    private partial void LogReplyFetchFailed(Exception exception);

    [LoggerMessage(EventIds.HeartbeatFailed, LogLevel.Warning, "Heartbeat of silo {SiloId} failed; its leases expire if this goes on")]
    private partial void LogHeartbeatFailed(Exception exception, string siloId);

    [LoggerMessage(EventIds.MaintenanceFailed, LogLevel.Warning, "Store housekeeping failed; it runs again next interval")]
    private partial void LogMaintenanceFailed(Exception exception);

    [LoggerMessage(EventIds.OutboxRecovered, LogLevel.Information, "Took over {Count} outbox items of case {CaseId} from a silo that is gone")]
    private partial void LogOutboxRecovered(int count, string caseId);
}
