using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Ripcord.Contracts;
using Ripcord.Grains.Storage.InMemory;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>The upserts: those that arrive together go to PostgreSQL in one round.</summary>
public sealed partial class PostgresCaseIndex
{
    public ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.CaseId);
        ArgumentNullException.ThrowIfNull(entry.Process);

        // Serialized by the caller, so an entry that cannot be written fails before it joins a round.
        var upsert = new Upsert(entry, JsonSerializer.Serialize(entry.Measures ?? CaseMeasures.Empty, RipcordJson.Options));
        _rounds.Submit(upsert);
        return new ValueTask(upsert.Done.Task.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// One round in one statement. A case upserted twice in the round is written once, at its highest version (the
    /// other would change nothing after it), and the rows go in case order, so rounds of different processes lock
    /// the rows they share in one order and never deadlock.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<Upsert> round)
    {
        var newest = new Dictionary<string, Upsert>(round.Count, StringComparer.Ordinal);
        foreach (var upsert in round)
        {
            if (!newest.TryGetValue(upsert.Entry.CaseId, out var other) || other.Entry.Version < upsert.Entry.Version)
            {
                newest[upsert.Entry.CaseId] = upsert;
            }
        }

        var rows = newest.Values.ToArray();
        Array.Sort(rows, static (a, b) => string.CompareOrdinal(a.Entry.CaseId, b.Entry.CaseId));
        var cases = new string[rows.Length];
        var processes = new string[rows.Length];
        var statuses = new string[rows.Length];
        var created = new DateTime[rows.Length];
        var ended = new DateTime?[rows.Length];
        var holds = new bool[rows.Length];
        var measures = new string[rows.Length];
        var versions = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var entry = rows[i].Entry;
            cases[i] = entry.CaseId;
            processes[i] = entry.Process;
            statuses[i] = CaseStatusNames.NameOf(entry.Status);

            // timestamptz takes UTC only; the offset a caller used is not part of the instant.
            created[i] = entry.CreatedAt.UtcDateTime;
            ended[i] = entry.EndedAt?.UtcDateTime;
            holds[i] = entry.HadHold;
            measures[i] = rows[i].Measures;
            versions[i] = entry.Version;
        }

        await using var batch = _dataSource.CreateBatch();
        var write = Command(
            _upsertSql,
            ArrayOf(NpgsqlDbType.Text, cases),
            ArrayOf(NpgsqlDbType.Text, processes),
            ArrayOf(NpgsqlDbType.Text, statuses),
            ArrayOf(NpgsqlDbType.TimestampTz, created),
            ArrayOf(NpgsqlDbType.TimestampTz, ended),
            ArrayOf(NpgsqlDbType.Boolean, holds),
            ArrayOf(NpgsqlDbType.Text, measures),
            ArrayOf(NpgsqlDbType.Bigint, versions));
        batch.BatchCommands.Add(write);
        if (_notify)
        {
            // Announced in a transaction of its own, after the upsert's commit and in the same round trip: NOTIFY
            // serializes the commits of all notifying transactions on the server, and one that writes nothing holds
            // that lock without a disk flush.
            write.AppendErrorBarrier = true;
            batch.BatchCommands.Add(Command(_announceSql, Text(_notifications.IndexChannel), ArrayOf(NpgsqlDbType.Text, cases)));
        }

        await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static NpgsqlParameter ArrayOf(NpgsqlDbType type, Array values) => new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };

    /// <summary>One caller's entry, and its answer.</summary>
    private sealed class Upsert(CaseIndexEntry entry, string measures)
    {
        public CaseIndexEntry Entry { get; } = entry;

        public string Measures { get; } = measures;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish(Exception? failure)
        {
            if (failure is null)
            {
                Done.TrySetResult();
            }
            else
            {
                Done.TrySetException(failure);
            }
        }
    }
}
