using System.Globalization;
using Orleans;
using Orleans.Runtime;

namespace Ripcord.Testing.Orleans;

/// <summary>
/// A reminder table for test clusters that lives outside every silo: register one instance on all silos of a
/// cluster (see <see cref="SharedTestStoresSiloBuilderExtensions"/>) and reminders survive a killed silo.
/// </summary>
/// <remarks>
/// Keeps the contract of Orleans' <see cref="IReminderTable"/> as the ADO.NET table does: rows keyed by
/// (grain id, reminder name); <see cref="UpsertRow(ReminderEntry)"/> writes unconditionally and returns a new
/// ETag; <see cref="RemoveRow(GrainId, string, string)"/> removes only when the ETag matches; range reads use
/// <see cref="GrainId.GetUniformHashCode"/> over (begin, end], and a range whose begin is not below its end
/// wraps around the ring. Entries handed out are copies.
/// </remarks>
public sealed class SharedReminderTable : IReminderTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId GrainId, string ReminderName), ReminderEntry> _rows = [];
    private long _lastVersion;
    private long _upserts;
    private long _removes;
    private long _removeConflicts;
    private long _rangeReads;
    private int _starts;

    /// <summary>Rows written by <see cref="UpsertRow(ReminderEntry)"/>.</summary>
    public long Upserts => Interlocked.Read(ref _upserts);

    /// <summary>Rows removed by <see cref="RemoveRow(GrainId, string, string)"/>.</summary>
    public long Removes => Interlocked.Read(ref _removes);

    /// <summary>Removals refused because the row was missing or its ETag had changed.</summary>
    public long RemoveConflicts => Interlocked.Read(ref _removeConflicts);

    /// <summary>Calls of <see cref="ReadRows(uint, uint)"/> (each silo's reminder service reads its ranges).</summary>
    public long RangeReads => Interlocked.Read(ref _rangeReads);

    /// <summary>How many times a silo started this table.</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>Rows stored now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>Copies of every row, for assertions.</summary>
    public IReadOnlyList<ReminderEntry> Snapshot()
    {
        lock (_gate)
        {
            return _rows.Values.Select(Copy).ToList();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _starts);
        return Task.CompletedTask;
    }

    public Task Init() => StartAsync(CancellationToken.None);

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId.Equals(grainId)).Select(Copy).ToList()));
        }
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _rangeReads);
        lock (_gate)
        {
            var rows = _rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(Copy).ToList();
            return Task.FromResult(new ReminderTableData(rows));
        }
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // A missing row reads as null, as in the tables that ship with Orleans.
            return Task.FromResult<ReminderEntry?>(_rows.TryGetValue((grainId, reminderName), out var row) ? Copy(row) : null);
        }
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        cancellationToken.ThrowIfCancellationRequested();
        string etag;
        lock (_gate)
        {
            etag = (++_lastVersion).ToString(CultureInfo.InvariantCulture);
            var row = Copy(entry);
            row.ETag = etag;
            _rows[(entry.GrainId, entry.ReminderName)] = row;
        }

        Interlocked.Increment(ref _upserts);
        return Task.FromResult<string?>(etag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        cancellationToken.ThrowIfCancellationRequested();
        bool removed;
        lock (_gate)
        {
            var key = (grainId, reminderName);
            removed = _rows.TryGetValue(key, out var row)
                && string.Equals(row.ETag, eTag, StringComparison.Ordinal)
                && _rows.Remove(key);
        }

        if (removed)
        {
            Interlocked.Increment(ref _removes);
        }
        else
        {
            Interlocked.Increment(ref _removeConflicts);
        }

        return Task.FromResult(removed);
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _rows.Clear();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The range rule of <see cref="IReminderTable.ReadRows(uint, uint)"/>: (begin, end] when begin &lt; end;
    /// otherwise the range wraps: hash &gt; begin or hash &lt;= end (begin == end is the whole ring).
    /// </summary>
    public static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Copy(ReminderEntry entry) => new()
    {
        GrainId = entry.GrainId,
        ReminderName = entry.ReminderName,
        StartAt = entry.StartAt,
        Period = entry.Period,
        ETag = entry.ETag,
    };
}
