using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ripcord.Contracts;
using Ripcord.Grains.Storage;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// The silo's case index (whichever store registered it), with a tap: the moment a case grain writes a row with a watched status. The case
/// grain writes its row right after its state, inside the turn that changed the status, before that turn answers.
/// </summary>
internal sealed class ObservedCaseIndex(ICaseIndex inner) : ICaseIndex
{
    /// <summary>Puts an observer around the case index the silo's store registered; <paramref name="created"/> gets it once made.</summary>
    public static void Decorate(IServiceCollection services, Action<ObservedCaseIndex> created)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ICaseIndex));
        services.Remove(registered);
        services.AddSingleton<ICaseIndex>(sp =>
        {
            var inner = registered.ImplementationInstance as ICaseIndex
                ?? (ICaseIndex?)registered.ImplementationFactory?.Invoke(sp)
                ?? (ICaseIndex)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            var observed = new ObservedCaseIndex(inner);
            created(observed);
            return observed;
        });
    }

    private readonly ConcurrentDictionary<(string CaseId, CaseStatus Status), TaskCompletionSource<(long At, CaseIndexEntry Entry)>> _watches = new();

    /// <summary>Completes with the timestamp (<see cref="Stopwatch.GetTimestamp"/>) and row of the first upsert of <paramref name="caseId"/> in <paramref name="status"/>.</summary>
    public Task<(long At, CaseIndexEntry Entry)> Watch(string caseId, CaseStatus status) =>
        _watches.GetOrAdd((caseId, status), _ => new TaskCompletionSource<(long, CaseIndexEntry)>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await inner.UpsertAsync(entry, cancellationToken);
        if (_watches.TryRemove((entry.CaseId, entry.Status), out var watch))
        {
            watch.TrySetResult((Stopwatch.GetTimestamp(), entry));
        }
    }

    public ValueTask<CaseIndexEntry?> GetAsync(string caseId, CancellationToken cancellationToken) => inner.GetAsync(caseId, cancellationToken);

    public ValueTask<CasePage> QueryAsync(CaseQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<CaseIndexEntry> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

    public ValueTask<IReadOnlyList<CaseIndexEntry>> ReadChangesAsync(long afterChangeSequence, int max, CancellationToken cancellationToken) =>
        inner.ReadChangesAsync(afterChangeSequence, max, cancellationToken);

    public ValueTask<long> LastChangeSequenceAsync(CancellationToken cancellationToken) => inner.LastChangeSequenceAsync(cancellationToken);

    public Task WaitForChangeAsync(long afterChangeSequence, TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.WaitForChangeAsync(afterChangeSequence, timeout, cancellationToken);
}
