using System.Text.Json;
using Orleans.Storage;
using Ripcord.Testing.Orleans;

namespace Ripcord.Testing.Tests;

public sealed class SharedGrainStorageTests
{
    private const string State = "probe";
    private static readonly GrainId Grain = GrainId.Create("probe", "g1");

    private readonly SharedGrainStorage _storage = new(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    [Fact]
    public async Task Reading_a_missing_record_gives_no_etag_and_no_record()
    {
        var state = new GrainState<ProbeState>(new ProbeState { Value = "untouched" });

        await _storage.ReadStateAsync(State, Grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("untouched", state.State!.Value);
        Assert.Equal(1, _storage.Reads);
    }

    [Fact]
    public async Task A_write_stores_a_copy_and_a_read_returns_a_new_object_with_the_etag()
    {
        var written = new GrainState<ProbeState>(new ProbeState { Value = "a", Version = 1 });
        await _storage.WriteStateAsync(State, Grain, written);
        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);

        written.State!.Value = "changed after the write";
        var read = new GrainState<ProbeState>(new ProbeState());
        await _storage.ReadStateAsync(State, Grain, read);

        Assert.Equal("a", read.State!.Value);
        Assert.NotSame(written.State, read.State);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(1, _storage.Writes);
    }

    [Fact]
    public async Task Two_activations_writing_from_the_same_etag_the_second_gets_an_inconsistent_state()
    {
        await _storage.WriteStateAsync(State, Grain, new GrainState<ProbeState>(new ProbeState { Value = "seed" }));
        var first = new GrainState<ProbeState>(new ProbeState());
        var second = new GrainState<ProbeState>(new ProbeState());
        await _storage.ReadStateAsync(State, Grain, first);
        await _storage.ReadStateAsync(State, Grain, second);
        var readETag = second.ETag;

        first.State!.Value = "first";
        await _storage.WriteStateAsync(State, Grain, first);
        second.State!.Value = "second";
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(State, Grain, second));

        Assert.Equal(first.ETag, conflict.StoredEtag);
        Assert.Equal(readETag, conflict.CurrentEtag);
        Assert.Equal(readETag, second.ETag);
        Assert.Equal(1, _storage.EtagConflicts);
        Assert.Equal(2, _storage.Writes);
        Assert.True(_storage.TryGetState<ProbeState>(State, Grain, out var stored, out var storedETag));
        Assert.Equal("first", stored!.Value);
        Assert.Equal(first.ETag, storedETag);
    }

    [Fact]
    public async Task A_null_etag_inserts_only_when_no_record_exists()
    {
        await _storage.WriteStateAsync(State, Grain, new GrainState<ProbeState>(new ProbeState { Value = "first insert" }));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync(State, Grain, new GrainState<ProbeState>(new ProbeState { Value = "second insert" })));

        Assert.Equal(1, _storage.EtagConflicts);
    }

    [Fact]
    public async Task An_etag_for_a_record_that_does_not_exist_is_a_conflict()
    {
        var state = new GrainState<ProbeState>(new ProbeState(), "17");

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(State, Grain, state));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(State, Grain, state));

        Assert.Equal(2, _storage.EtagConflicts);
        Assert.Equal(0, _storage.Count);
    }

    [Fact]
    public async Task Clear_checks_the_etag_and_leaves_a_tombstone_that_refuses_stale_writers()
    {
        var owner = new GrainState<ProbeState>(new ProbeState { Value = "x" });
        await _storage.WriteStateAsync(State, Grain, owner);
        var stale = new GrainState<ProbeState>(new ProbeState());
        await _storage.ReadStateAsync(State, Grain, stale);
        await _storage.WriteStateAsync(State, Grain, owner);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(State, Grain, stale));
        await _storage.ClearStateAsync(State, Grain, owner);

        Assert.False(owner.RecordExists);
        Assert.NotNull(owner.ETag);
        Assert.Equal(0, _storage.Count);
        Assert.Equal(1, _storage.Clears);

        // A writer that read before the clear, or that never read at all, is refused; the clearer writes on.
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(State, Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync(State, Grain, new GrainState<ProbeState>(new ProbeState())));
        await _storage.WriteStateAsync(State, Grain, owner);
        Assert.True(owner.RecordExists);

        var reread = new GrainState<ProbeState>(new ProbeState());
        await _storage.ReadStateAsync(State, Grain, reread);
        Assert.Equal(owner.ETag, reread.ETag);
        Assert.Equal(3, _storage.EtagConflicts);
    }

    [Fact]
    public async Task Records_are_keyed_by_state_name_and_grain_id()
    {
        var other = GrainId.Create("probe", "g2");
        await _storage.WriteStateAsync(State, Grain, new GrainState<ProbeState>(new ProbeState { Value = "g1" }));
        await _storage.WriteStateAsync(State, other, new GrainState<ProbeState>(new ProbeState { Value = "g2" }));
        await _storage.WriteStateAsync("other-state", Grain, new GrainState<ProbeState>(new ProbeState { Value = "other" }));

        Assert.Equal(3, _storage.Count);
        Assert.True(_storage.TryGetState<ProbeState>(State, other, out var g2, out _));
        Assert.Equal("g2", g2!.Value);
        Assert.True(_storage.TryGetState<ProbeState>("other-state", Grain, out var otherState, out _));
        Assert.Equal("other", otherState!.Value);
        Assert.Equal(0, _storage.EtagConflicts);
    }

    [Fact]
    public async Task A_write_hook_can_fail_a_write_before_anything_is_stored()
    {
        var boom = new IOException("disk on fire");
        _storage.BeforeWrite = (stateName, grainId) => stateName == State && grainId == Grain ? boom : null;
        var state = new GrainState<ProbeState>(new ProbeState { Value = "lost" });

        var thrown = await Assert.ThrowsAsync<IOException>(() => _storage.WriteStateAsync(State, Grain, state));

        Assert.Same(boom, thrown);
        Assert.Null(state.ETag);
        Assert.Equal(0, _storage.Writes);
        Assert.Equal(1, _storage.InjectedFaults);
        Assert.Equal(0, _storage.Count);

        _storage.BeforeWrite = null;
        await _storage.WriteStateAsync(State, Grain, state);
        Assert.Equal(1, _storage.Writes);
    }

    [Fact]
    public async Task Concurrent_writers_from_one_etag_let_exactly_one_through()
    {
        var seed = new GrainState<ProbeState>(new ProbeState());
        await _storage.WriteStateAsync(State, Grain, seed);

        var writers = Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => _storage.WriteStateAsync(State, Grain, new GrainState<ProbeState>(new ProbeState { Version = i }, seed.ETag))))
            .ToArray();
        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await w;
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        Assert.Equal(15, _storage.EtagConflicts);
        Assert.Equal(2, _storage.Writes);
    }
}
