using System.Globalization;
using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Ripcord.Testing.Orleans;

/// <summary>
/// Grain storage for test clusters that lives outside every silo: register one instance on all silos of a
/// cluster (see <see cref="SharedTestStoresSiloBuilderExtensions"/>) and state survives a killed silo.
/// </summary>
/// <remarks>
/// The ETag contract is the one a real store (the ADO.NET provider) keeps: a write or clear whose ETag is not
/// the stored one throws <see cref="InconsistentStateException"/>; a null ETag means "insert only if no record
/// exists". Clearing keeps a tombstone with a new ETag (as the ADO.NET provider nulls the payload and bumps the
/// version), so a writer that read before the clear is refused too. ETags come from one counter and are never
/// reused. State is stored as System.Text.Json bytes: no object is shared between activations or with the test.
/// </remarks>
public sealed class SharedGrainStorage : IGrainStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string StateName, GrainId GrainId), StoredRecord> _records = [];
    private readonly JsonSerializerOptions _json;
    private long _lastVersion;
    private long _reads;
    private long _writes;
    private long _clears;
    private long _etagConflicts;
    private long _injectedFaults;

    public SharedGrainStorage(JsonSerializerOptions jsonOptions)
    {
        ArgumentNullException.ThrowIfNull(jsonOptions);
        _json = jsonOptions;
    }

    /// <summary>Called before every read with (state name, grain id); a non-null exception is thrown instead of reading.</summary>
    public Func<string, GrainId, Exception?>? BeforeRead { get; set; }

    /// <summary>Called before every write with (state name, grain id); a non-null exception is thrown instead of writing.</summary>
    public Func<string, GrainId, Exception?>? BeforeWrite { get; set; }

    /// <summary>Called before every write with (state name, grain id), after <see cref="BeforeWrite"/>: the write waits for the task it returns (to hold one grain's write while others go on).</summary>
    public Func<string, GrainId, Task>? WriteGate { get; set; }

    /// <summary>Called before every clear with (state name, grain id); a non-null exception is thrown instead of clearing.</summary>
    public Func<string, GrainId, Exception?>? BeforeClear { get; set; }

    /// <summary>Reads served, whether or not a record existed.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Writes that were stored (refused and faulted writes are not counted).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Clears that were applied.</summary>
    public long Clears => Interlocked.Read(ref _clears);

    /// <summary>Writes and clears refused with <see cref="InconsistentStateException"/>.</summary>
    public long EtagConflicts => Interlocked.Read(ref _etagConflicts);

    /// <summary>Exceptions thrown because a hook asked for one.</summary>
    public long InjectedFaults => Interlocked.Read(ref _injectedFaults);

    /// <summary>Records that hold state (tombstones left by a clear are not counted).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Values.Count(r => r.Payload is not null);
            }
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfFault(BeforeRead, stateName, grainId);

        StoredRecord? record;
        lock (_gate)
        {
            _records.TryGetValue((stateName, grainId), out record);
        }

        Interlocked.Increment(ref _reads);
        if (record?.Payload is { } payload)
        {
            grainState.State = JsonSerializer.Deserialize<T>(payload, _json)!;
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            // As the providers that ship with Orleans do: the state the caller holds is left alone.
            grainState.ETag = record?.ETag;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfFault(BeforeWrite, stateName, grainId);
        if (WriteGate is { } gate)
        {
            await gate(stateName, grainId);
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(grainState.State, _json);
        string newETag;
        lock (_gate)
        {
            var key = (stateName, grainId);
            _records.TryGetValue(key, out var stored);
            ThrowIfConflict("write", stateName, grainId, stored?.ETag, grainState.ETag);
            newETag = NextETag();
            _records[key] = new StoredRecord(payload, newETag);
        }

        Interlocked.Increment(ref _writes);
        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfFault(BeforeClear, stateName, grainId);

        string? newETag;
        lock (_gate)
        {
            var key = (stateName, grainId);
            _records.TryGetValue(key, out var stored);
            ThrowIfConflict("clear", stateName, grainId, stored?.ETag, grainState.ETag);
            if (stored is null)
            {
                // Nothing was ever written: nothing to clear, and no ETag to hand out.
                newETag = null;
            }
            else
            {
                newETag = NextETag();
                _records[key] = new StoredRecord(null, newETag);
            }
        }

        Interlocked.Increment(ref _clears);
        grainState.ETag = newETag;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>Reads what is stored for a grain, as a fresh copy, without going through a grain.</summary>
    public bool TryGetState<T>(string stateName, GrainId grainId, out T? state, out string? etag)
    {
        StoredRecord? record;
        lock (_gate)
        {
            _records.TryGetValue((stateName, grainId), out record);
        }

        etag = record?.ETag;
        if (record?.Payload is { } payload)
        {
            state = JsonSerializer.Deserialize<T>(payload, _json);
            return true;
        }

        state = default;
        return false;
    }

    /// <summary>The stored ETag of a record (also of a tombstone), or null when nothing was ever written.</summary>
    public string? GetETag(string stateName, GrainId grainId)
    {
        lock (_gate)
        {
            return _records.TryGetValue((stateName, grainId), out var record) ? record.ETag : null;
        }
    }

    /// <summary>Forgets every record and zeroes the counters; hooks stay as set.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _records.Clear();
        }

        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _clears, 0);
        Interlocked.Exchange(ref _etagConflicts, 0);
        Interlocked.Exchange(ref _injectedFaults, 0);
    }

    private void ThrowIfConflict(string operation, string stateName, GrainId grainId, string? storedETag, string? currentETag)
    {
        if (string.Equals(storedETag, currentETag, StringComparison.Ordinal))
        {
            return;
        }

        Interlocked.Increment(ref _etagConflicts);
        throw new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' for grain {grainId}: stored {storedETag ?? "(none)"}, given {currentETag ?? "(none)"}.",
            storedETag ?? string.Empty,
            currentETag ?? string.Empty);
    }

    private void ThrowIfFault(Func<string, GrainId, Exception?>? hook, string stateName, GrainId grainId)
    {
        if (hook?.Invoke(stateName, grainId) is { } fault)
        {
            Interlocked.Increment(ref _injectedFaults);
            throw fault;
        }
    }

    private string NextETag() => (++_lastVersion).ToString(CultureInfo.InvariantCulture);

    private sealed record StoredRecord(byte[]? Payload, string ETag);
}
