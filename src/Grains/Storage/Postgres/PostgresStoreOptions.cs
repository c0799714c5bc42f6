namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Settings of the PostgreSQL store (Orleans membership, grain state and reminders, and Ripcord's case index and
/// history). Bound from <c>Ripcord:Store:Postgres</c>; checked when the silo starts, so a missing connection string
/// stops the start with a message naming the setting instead of failing on the first query.
/// </summary>
public sealed class PostgresStoreOptions
{
    /// <summary>Npgsql connection string of the database. Required; no default.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Schema holding every table (Orleans' and Ripcord's); created at start when missing. 1 to 40 lower-case
    /// letters, digits or underscores. The store sets the connections' search path to it (Orleans' providers look
    /// their queries up unqualified), so two clusters can share one database with two schemas. Default
    /// <c>ripcord</c>.
    /// </summary>
    public string SchemaName { get; set; } = "ripcord";

    /// <summary>
    /// Largest number of pooled connections per silo, when set; otherwise the connection string's
    /// <c>Maximum Pool Size</c> applies (Npgsql's default: 100). The LISTEN connection is apart from the pool.
    /// Default null.
    /// </summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>
    /// Wake waiting readers (live feeds, history streams) on other silos with LISTEN/NOTIFY. When false, a wait
    /// ends only by its timeout (or finds the change when it starts), which costs latency, never correctness. Set it
    /// behind a pooler in transaction mode, where LISTEN does not work, or when history appends are so frequent that
    /// PostgreSQL's serialization of notifying commits shows. Default true.
    /// </summary>
    public bool NotificationsEnabled { get; set; } = true;

    /// <summary>Longest pause between attempts to re-open the LISTEN connection after it broke. Default 5 s.</summary>
    public TimeSpan ListenReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Apply missing schema migrations when the silo starts. When false, the silo only checks that the schema is
    /// current and refuses to start otherwise (for databases whose schema is changed by an operator). Default true.
    /// </summary>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>
    /// Npgsql's <c>Max Auto Prepare</c> when the connection string does not set it, so frequent statements are
    /// prepared once per connection. Set 0 behind a pooler that cannot keep prepared statements. Default 32.
    /// </summary>
    public int MaxAutoPrepare { get; set; } = 32;
}
