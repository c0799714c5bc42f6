namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// The statements Orleans' ADO.NET providers read from <c>OrleansQuery</c> at start. The providers bind
/// <c>@Name</c> parameters and read result columns by name, so every column is given the exact name a provider
/// reads. Tables are qualified with the schema, so only the providers' own bootstrap query
/// (<c>SELECT QueryKey, QueryText FROM OrleansQuery</c>) depends on the connection's search path.
/// </summary>
/// <remarks>
/// Contract points the statements keep (Orleans 10.4.2):
/// <list type="bullet">
/// <item>Membership insert and update are one compare-and-swap on the deployment's version row: the version moves
/// only together with the member row, and each returns exactly one row with one boolean column.</item>
/// <item>Membership reads start from the version row and left-join the members, so the version comes back even
/// when no member matches (a null <c>StartTime</c> tells the provider there is no entry).</item>
/// <item>The storage write and clear always return exactly one row; a null version in it is how the provider
/// learns its ETag lost (zero rows would look like success to it).</item>
/// <item>Timestamps are <c>timestamptz</c>: the providers send UTC <c>DateTime</c> values.</item>
/// </list>
/// </remarks>
internal static class PostgresOrleansQueries
{
    /// <summary>Silo status <c>Dead</c> in Orleans' <c>SiloStatus</c>.</summary>
    private const int DeadStatus = 6;

    /// <summary>Every query key with its text for schema <paramref name="s"/>, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string s) =>
    [
        .. Clustering(s),
        .. Reminders(s),
        .. Persistence(s),
    ];

    private static KeyValuePair<string, string> Query(string key, string text) => new(key, text.Trim());

    private static IEnumerable<KeyValuePair<string, string>> Clustering(string s)
    {
        const string MemberColumns = """
            m.address AS "Address", m.port AS "Port", m.generation AS "Generation", m.silo_name AS "SiloName",
            m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
            m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
            """;
        const string ThisMember = "deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation";

        yield return Query("InsertMembershipVersionKey", $"""
            WITH inserted AS (
                INSERT INTO {s}.orleans_membership_version (deployment_id) VALUES (@DeploymentId)
                ON CONFLICT (deployment_id) DO NOTHING
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted"
            """);

        yield return Query("InsertMembershipKey", $"""
            WITH bumped AS (
                UPDATE {s}.orleans_membership_version
                SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                  AND NOT EXISTS (SELECT 1 FROM {s}.orleans_membership WHERE {ThisMember})
                RETURNING deployment_id),
            inserted AS (
                INSERT INTO {s}.orleans_membership
                    (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
                SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM bumped
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted"
            """);

        yield return Query("UpdateMembershipKey", $"""
            WITH bumped AS (
                UPDATE {s}.orleans_membership_version
                SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                  AND EXISTS (SELECT 1 FROM {s}.orleans_membership WHERE {ThisMember})
                RETURNING deployment_id),
            updated AS (
                UPDATE {s}.orleans_membership AS m
                SET status = @Status, suspect_times = @SuspectTimes::text, i_am_alive_time = @IAmAliveTime
                FROM bumped
                WHERE m.deployment_id = bumped.deployment_id
                  AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM updated) AS "Updated"
            """);

        // A heartbeat: not a membership change, so the version stays.
        yield return Query("UpdateIAmAlivetimeKey", $"""
            UPDATE {s}.orleans_membership SET i_am_alive_time = @IAmAliveTime WHERE {ThisMember}
            """);

        yield return Query("MembershipReadRowKey", $"""
            SELECT v.version AS "Version", {MemberColumns}
            FROM {s}.orleans_membership_version AS v
            LEFT JOIN {s}.orleans_membership AS m
              ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deployment_id = @DeploymentId
            """);

        yield return Query("MembershipReadAllKey", $"""
            SELECT v.version AS "Version", {MemberColumns}
            FROM {s}.orleans_membership_version AS v
            LEFT JOIN {s}.orleans_membership AS m ON m.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId
            """);

        // Members go with their version row (foreign key, on delete cascade).
        yield return Query("DeleteMembershipTableEntriesKey", $"""
            DELETE FROM {s}.orleans_membership_version WHERE deployment_id = @DeploymentId
            """);

        yield return Query("GatewaysQueryKey", $"""
            SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
            FROM {s}.orleans_membership
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """);

        // Used only when the per-entry statement below is missing: dead members not heard from since the cutoff.
        yield return Query("CleanupDefunctSiloEntriesKey", $"""
            DELETE FROM {s}.orleans_membership
            WHERE deployment_id = @DeploymentId AND status = {DeadStatus}
              AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime
            """);

        // Orleans decides which dead members are defunct and passes back the values it read: the row goes only if
        // it is still exactly that (a member rewritten since is left alone).
        yield return Query("CleanupDefunctSiloEntryKey", $"""
            DELETE FROM {s}.orleans_membership
            WHERE {ThisMember} AND status = {DeadStatus}
              AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
              AND coalesce(suspect_times, '') = coalesce(@SuspectTimes::text, '')
            """);
    }

    private static IEnumerable<KeyValuePair<string, string>> Reminders(string s)
    {
        const string Columns = """
            grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
            """;

        yield return Query("ReadReminderRowsKey", $"""
            SELECT {Columns} FROM {s}.orleans_reminders
            WHERE service_id = @ServiceId AND grain_id = @GrainId
            """);

        yield return Query("ReadReminderRowKey", $"""
            SELECT {Columns} FROM {s}.orleans_reminders
            WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
            """);

        // Hashes arrive as signed integers: a range that does not wrap in signed order.
        yield return Query("ReadRangeRows1Key", $"""
            SELECT {Columns} FROM {s}.orleans_reminders
            WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
            """);

        // ... and the range that wraps around the end of the ring.
        yield return Query("ReadRangeRows2Key", $"""
            SELECT {Columns} FROM {s}.orleans_reminders
            WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
            """);

        yield return Query("UpsertReminderRowKey", $"""
            INSERT INTO {s}.orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
            VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
            SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash,
                version = r.version + 1
            RETURNING r.version AS "Version"
            """);

        yield return Query("DeleteReminderRowKey", $"""
            WITH deleted AS (
                DELETE FROM {s}.orleans_reminders
                WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM deleted) AS "Deleted"
            """);

        yield return Query("DeleteReminderRowsKey", $"""
            DELETE FROM {s}.orleans_reminders WHERE service_id = @ServiceId
            """);
    }

    private static IEnumerable<KeyValuePair<string, string>> Persistence(string s)
    {
        // A key without an extension is stored with '' so the primary key needs no NULLS NOT DISTINCT (PostgreSQL 15).
        const string ThisGrain = """
            service_id = @ServiceId AND grain_id_hash = @GrainIdHash AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
              AND grain_type_hash = @GrainTypeHash AND grain_type_string = @GrainTypeString
              AND grain_id_extension_string = coalesce(@GrainIdExtensionString::text, '')
            """;

        yield return Query("ReadFromStorageKey", $"""
            SELECT payload_binary AS "PayloadBinary", version AS "Version"
            FROM {s}.orleans_storage
            WHERE {ThisGrain}
            """);

        // No ETag: insert only if no row exists. An ETag: update only the row still at that version.
        yield return Query("WriteToStorageKey", $"""
            WITH inserted AS (
                INSERT INTO {s}.orleans_storage
                    (service_id, grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type_string,
                     grain_id_extension_string, payload_binary, version)
                SELECT @ServiceId, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                       coalesce(@GrainIdExtensionString::text, ''), @PayloadBinary, 1
                WHERE @GrainStateVersion::integer IS NULL
                ON CONFLICT DO NOTHING
                RETURNING version),
            updated AS (
                UPDATE {s}.orleans_storage
                SET payload_binary = @PayloadBinary, version = version + 1, modified_at = now()
                WHERE {ThisGrain} AND @GrainStateVersion::integer IS NOT NULL AND version = @GrainStateVersion::integer
                RETURNING version)
            SELECT (SELECT version FROM inserted UNION ALL SELECT version FROM updated LIMIT 1) AS "NewGrainStateVersion"
            """);

        // Clearing keeps the row with a new version, so a writer holding the old ETag is refused.
        yield return Query("ClearStorageKey", $"""
            WITH cleared AS (
                UPDATE {s}.orleans_storage
                SET payload_binary = NULL, version = version + 1, modified_at = now()
                WHERE {ThisGrain} AND version = @GrainStateVersion::integer
                RETURNING version)
            SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
            """);

        // DeleteStateOnClear: the provider drops the ETag after this, but needs a value that differs from the one it
        // sent to know the delete happened; null means the version did not match.
        yield return Query("DeleteStorageKey", $"""
            WITH deleted AS (
                DELETE FROM {s}.orleans_storage
                WHERE {ThisGrain} AND version = @GrainStateVersion::integer
                RETURNING version)
            SELECT (SELECT version + 1 FROM deleted) AS "NewGrainStateVersion"
            """);
    }
}
