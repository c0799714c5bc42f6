namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>The store's hot SQL, built once per schema so the text is stable and auto-prepares.</summary>
internal sealed class Statements
{
    public Statements(string s)
    {
        var liveOwner = $"EXISTS (SELECT 1 FROM {s}.silos s WHERE s.silo_id = g.owner AND s.expires_at > now() AND s.stopped_at IS NULL)";

        // SKIP LOCKED: a grain row locked by a commit or by another silo's claim is held by someone alive; do not wait.
        Claim = $"""
            WITH c AS (
                SELECT g.case_id FROM {s}.grains g
                WHERE g.case_id = $1 AND g.grain_type = $2 AND g.grain_key = $3
                  AND (g.owner IS NULL OR g.owner = $4 OR NOT {liveOwner})
                FOR NO KEY UPDATE OF g SKIP LOCKED)
            UPDATE {s}.grains g SET epoch = g.epoch + 1, owner = $4, leased_at = now()
            FROM c WHERE g.case_id = $1 AND g.grain_type = $2 AND g.grain_key = $3
            RETURNING g.state::text, g.state_type, g.version, g.epoch
            """;

        CreateGrain = $"""
            INSERT INTO {s}.grains (case_id, grain_type, grain_key, version, epoch, owner, leased_at)
            VALUES ($1, $2, $3, 0, 1, $4, now())
            ON CONFLICT (case_id, grain_type, grain_key) DO NOTHING
            RETURNING NULL::text, NULL::text, version, epoch
            """;

        // No row at all means the epoch moved on; one row of nulls means an empty mailbox.
        ReadMailbox = $"""
            SELECT m.id, m.body::text, m.body_type, m.sender_case, m.sender_type, m.sender_key, m.correlation_id, m.reminder_name, m.enqueued_at
            FROM {s}.grains g
            LEFT JOIN LATERAL (
                SELECT x.id, x.body, x.body_type, x.sender_case, x.sender_type, x.sender_key, x.correlation_id, x.reminder_name, x.enqueued_at
                FROM {s}.mailbox x
                WHERE x.case_id = g.case_id AND x.grain_type = g.grain_type AND x.grain_key = g.grain_key
                ORDER BY x.id LIMIT $5) m ON true
            WHERE g.case_id = $1 AND g.grain_type = $2 AND g.grain_key = $3 AND g.epoch = $4
            ORDER BY m.id
            """;

        // A loose index scan: one probe of the mailbox's primary key per grain with messages, however deep the
        // mailboxes are, instead of a DISTINCT over every waiting row; it stops once enough grains are found.
        FindWork = $"""
            WITH RECURSIVE waiting AS (
                (SELECT case_id, grain_type, grain_key FROM {s}.mailbox ORDER BY case_id, grain_type, grain_key LIMIT 1)
                UNION ALL
                SELECT n.case_id, n.grain_type, n.grain_key FROM waiting w, LATERAL (
                    SELECT x.case_id, x.grain_type, x.grain_key FROM {s}.mailbox x
                    WHERE (x.case_id, x.grain_type, x.grain_key) > (w.case_id, w.grain_type, w.grain_key)
                    ORDER BY x.case_id, x.grain_type, x.grain_key LIMIT 1) n)
            SELECT m.case_id, m.grain_type, m.grain_key
            FROM waiting m
            LEFT JOIN {s}.grains g ON g.case_id = m.case_id AND g.grain_type = m.grain_type AND g.grain_key = m.grain_key
            WHERE g.owner IS NULL OR g.owner = $1 OR NOT {liveOwner}
            LIMIT $2
            """;

        InsertMessages = $"""
            INSERT INTO {s}.mailbox (case_id, grain_type, grain_key, body, body_type, sender_case, sender_type, sender_key, correlation_id, reminder_name, enqueued_at)
            SELECT $1, m.t, m.k, m.b::jsonb, m.bt, m.sc, m.st, m.sk, m.c::uuid, m.r, $2
            FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                WITH ORDINALITY AS m(t, k, b, bt, sc, st, sk, c, r, ord)
            ORDER BY m.ord
            RETURNING id
            """;

        FenceWithState = $"""
            WITH u AS (
                UPDATE {s}.grains SET state = $6::jsonb, state_type = $7, version = version + 1
                WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND epoch = $4 AND version = $5
                RETURNING version)
            SELECT {s}.fence((SELECT version FROM u)) AS fence
            """;

        // The row lock keeps another silo's claim from slipping between this check and the commit.
        Fence = $"""
            SELECT {s}.fence((
                SELECT version FROM {s}.grains
                WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND epoch = $4 AND version = $5
                FOR NO KEY UPDATE)) AS fence
            """;

        MailboxHasMore = $"SELECT EXISTS (SELECT 1 FROM {s}.mailbox WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3) AS more";

        DeleteHandled = $"DELETE FROM {s}.mailbox WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND id = ANY($4)";

        SetReminders = $"""
            INSERT INTO {s}.reminders (case_id, grain_type, grain_key, name, due_at, body, body_type)
            SELECT $1, $2, $3, r.n, r.d, r.b::jsonb, r.t FROM unnest($4::text[], $5::timestamptz[], $6::text[], $7::text[]) AS r(n, d, b, t)
            ON CONFLICT (case_id, grain_type, grain_key, name)
            DO UPDATE SET due_at = excluded.due_at, body = excluded.body, body_type = excluded.body_type
            """;

        ClearReminders = $"DELETE FROM {s}.reminders WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND name = ANY($4)";

        // Runs after the reminder rows are written or deleted: a reminder that fired concurrently has committed its
        // message by then (its row lock made us wait), so this statement's snapshot sees and removes it.
        PurgeReminderMessages = $"DELETE FROM {s}.mailbox WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND reminder_name = ANY($4)";

        AppendHistory = $"""
            WITH seq AS (
                INSERT INTO {s}.cases AS c (case_id, history_seq) VALUES ($1, $2)
                ON CONFLICT (case_id) DO UPDATE SET history_seq = c.history_seq + excluded.history_seq
                RETURNING history_seq)
            INSERT INTO {s}.history (case_id, sequence, at, type, actor, reason, task_id, detail)
            SELECT $1, seq.history_seq - $2 + h.ord, h.at, h.type, h.actor, h.reason, h.task_id, h.detail::jsonb
            FROM seq, unnest($3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                WITH ORDINALITY AS h(at, type, actor, reason, task_id, detail, ord)
            """;

        InsertReplies = $"""
            INSERT INTO {s}.replies (case_id, correlation_id, value, value_type, created_at)
            SELECT $1, r.c, r.v::jsonb, r.t, now() FROM unnest($2::uuid[], $3::text[], $4::text[]) AS r(c, v, t)
            ON CONFLICT (case_id, correlation_id) DO UPDATE SET value = excluded.value, value_type = excluded.value_type
            """;

        InsertOutbox = $"""
            INSERT INTO {s}.outbox (case_id, topic, source_type, source_key, payload, payload_type, silo_id, created_at)
            SELECT $1, o.t, o.st, o.sk, o.p::jsonb, o.pt, $2, $3
            FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS o(t, st, sk, p, pt, ord)
            ORDER BY o.ord
            RETURNING id AS outbox_id
            """;

        InsertDeadLetters = $"""
            INSERT INTO {s}.dead_letters (case_id, grain_type, grain_key, message_id, body, body_type, error, attempts, at)
            SELECT $1, $2, $3, d.mid, d.b::jsonb, d.bt, d.e, d.a, d.at
            FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[]) WITH ORDINALITY AS d(mid, b, bt, e, a, at, ord)
            ORDER BY d.ord
            """;

        DueCases = $"SELECT DISTINCT case_id FROM (SELECT case_id FROM {s}.reminders WHERE due_at <= $1 ORDER BY due_at LIMIT $2) d";

        FireReminders = $"""
            WITH due AS (
                SELECT case_id, grain_type, grain_key, name FROM {s}.reminders
                WHERE case_id = $1 AND due_at <= $2
                FOR UPDATE SKIP LOCKED),
            fired AS (
                DELETE FROM {s}.reminders r USING due
                WHERE r.case_id = due.case_id AND r.grain_type = due.grain_type AND r.grain_key = due.grain_key AND r.name = due.name
                RETURNING r.case_id, r.grain_type, r.grain_key, r.name, r.due_at, r.body, r.body_type)
            INSERT INTO {s}.mailbox (case_id, grain_type, grain_key, body, body_type, reminder_name, enqueued_at)
            SELECT case_id, grain_type, grain_key, body, body_type, name, $2 FROM fired ORDER BY due_at, name
            RETURNING grain_type, grain_key
            """;

        NextReminder = $"SELECT min(due_at) FROM {s}.reminders";

        FindReplies = $"""
            SELECT r.case_id, r.correlation_id FROM {s}.replies r
            WHERE (r.case_id, r.correlation_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))
            """;

        TakeReplies = $"DELETE FROM {s}.replies WHERE case_id = $1 AND correlation_id = ANY($2) RETURNING correlation_id, value::text, value_type";
    }

    public string Claim { get; }

    public string CreateGrain { get; }

    public string ReadMailbox { get; }

    public string FindWork { get; }

    public string InsertMessages { get; }

    public string FenceWithState { get; }

    public string Fence { get; }

    public string MailboxHasMore { get; }

    public string DeleteHandled { get; }

    public string SetReminders { get; }

    public string ClearReminders { get; }

    public string PurgeReminderMessages { get; }

    public string AppendHistory { get; }

    public string InsertReplies { get; }

    public string InsertOutbox { get; }

    public string InsertDeadLetters { get; }

    public string DueCases { get; }

    public string FireReminders { get; }

    public string NextReminder { get; }

    public string FindReplies { get; }

    public string TakeReplies { get; }
}
