using Microsoft.Extensions.Logging;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>The store's log events, with stable ids in the storage range (2000-2999).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "PostgreSQL schema {Schema}: applied {Count} migration(s), now at version {Version}.")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int count, int version);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "PostgreSQL schema {Schema} is current (version {Version}).")]
    public static partial void SchemaCurrent(ILogger logger, string schema, int version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "PostgreSQL schema {Schema} could not be migrated; the silo does not start.")]
    public static partial void SchemaFailed(ILogger logger, Exception exception, string schema);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Listening for store notifications on {IndexChannel} and {HistoryChannel}.")]
    public static partial void Listening(ILogger logger, string indexChannel, string historyChannel);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "The store's LISTEN connection failed; waits fall back to their timeouts until it is back (next attempt in {Delay}).")]
    public static partial void ListenFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Ignored a malformed notification on {Channel}: '{Payload}'.")]
    public static partial void NotificationMalformed(ILogger logger, string channel, string payload);
}
