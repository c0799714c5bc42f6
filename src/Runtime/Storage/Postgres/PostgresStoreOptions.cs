using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>
/// Settings of the PostgreSQL store. Bound from <c>Ripcord:Store:Postgres</c>; every default is given here and in
/// docs/operations.md.
/// </summary>
public sealed partial class PostgresStoreOptions
{
    /// <summary>Npgsql connection string. Required; no default.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Schema holding every Ripcord table; created at start. Lower-case letters, digits and underscores.
    /// Default <c>ripcord</c>. Two clusters may share one database with different schemas.
    /// </summary>
    public string SchemaName { get; set; } = "ripcord";

    /// <summary>How often a silo renews its membership row (and with it every lease it holds). Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a silo's leases stay valid after its last heartbeat. After that, other silos take its grains over.
    /// Must be at least twice <see cref="HeartbeatInterval"/>. Default 20 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Wake other silos with LISTEN/NOTIFY. When false, silos find work only by polling
    /// (<c>Ripcord:Runtime:PollInterval</c>), which costs latency, never messages. Default true.
    /// </summary>
    public bool NotificationsEnabled { get; set; } = true;

    /// <summary>Longest wait between attempts to re-open the LISTEN connection after it broke. Default 5 s.</summary>
    public TimeSpan ListenReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a silo does housekeeping: re-dispatches outbox items of dead silos, drops unclaimed replies and
    /// forgets asks nobody answered. Default 30 s.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a reply to an ask waits in the <c>replies</c> table for its caller, and how long this silo keeps
    /// listening for the reply to an ask it sent. Default 10 min.
    /// </summary>
    public TimeSpan ReplyRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Npgsql's <c>Max Auto Prepare</c> used when the connection string does not set it, so hot statements are
    /// prepared once per connection. Set 0 behind a pooler that cannot keep prepared statements. Default 32.
    /// </summary>
    public int MaxAutoPrepare { get; set; } = 32;

    /// <summary>
    /// Serializer settings for states, message bodies, replies and outbox payloads (stored as jsonb next to a type
    /// name). Default: <see cref="JsonSerializerDefaults.General"/> with out-of-order metadata allowed (jsonb
    /// reorders object keys).
    /// </summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("Ripcord:Store:Postgres:ConnectionString is required.", nameof(ConnectionString));
        }

        if (!SchemaPattern().IsMatch(SchemaName))
        {
            throw new ArgumentException($"Schema name '{SchemaName}' must match {SchemaPattern()}.", nameof(SchemaName));
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "must be positive");
        }

        if (LeaseDuration < 2 * HeartbeatInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), LeaseDuration, "must be at least twice HeartbeatInterval");
        }

        if (MaintenanceInterval <= TimeSpan.Zero || ListenReconnectDelayMax <= TimeSpan.Zero || ReplyRetention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaintenanceInterval), "MaintenanceInterval, ListenReconnectDelayMax and ReplyRetention must be positive");
        }

        if (MaxAutoPrepare < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAutoPrepare), MaxAutoPrepare, "must be >= 0");
        }
    }

    // The schema name is spliced into SQL text (and into the NOTIFY channel name), so only plain identifiers pass.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex SchemaPattern();
}
