using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Durability;

/// <summary>
/// Brings back at once the grains with pending work that a dead silo held, instead of at their recovery reminder's
/// next tick (up to <see cref="DurabilityOptions.RecoveryPeriod"/> later). When the cluster declares a silo dead, one
/// survivor (the active silo with the lowest address, as each sees the cluster) reads the recovery reminders and wakes
/// every grain whose reminder is due within a period: a grain still active elsewhere ignores the wake-up, one of the
/// dead silo activates and flushes its outbox and arms its deadlines. Reminders put off until a far deadline (a
/// retention period) are left alone.
/// </summary>
internal sealed partial class DeadSiloRecovery(
    ClusterPeers peers,
    IReminderTable reminders,
    IGrainFactory grains,
    IOptions<DurabilityOptions> options,
    ILogger<DeadSiloRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The reminder a grain keeps while it has pending work.</summary>
    public const string ReminderName = "ripcord-recovery";

    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(DeadSiloRecovery), ServiceLifecycleStage.Active, Start, StopAsync);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        using (ExecutionContext.SuppressFlow())
        {
            _watch = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watch.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in peers.SilosDied(cancellationToken).ConfigureAwait(false))
            {
                if (peers.IsLowestActive(snapshot))
                {
                    await WakeAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task WakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            // begin == end reads every row of this service.
            var table = await reminders.ReadRows(0, 0, cancellationToken).ConfigureAwait(false);
            // On the clock the reminder service stamps its rows with.
            var soon = DateTime.UtcNow + options.Value.RecoveryPeriod;
            var woken = 0;
            foreach (var entry in table.Reminders)
            {
                if (entry.ReminderName == ReminderName && entry.StartAt <= soon)
                {
                    grains.GetGrain(entry.GrainId).AsReference<IDurableGrain>().Wake().Ignore();
                    woken++;
                }
            }

            LogWoken(woken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Their reminders still bring them back.
            LogFailed(e);
        }
    }

    [LoggerMessage(GrainEventIds.DeadSiloRecoveryWoke, LogLevel.Information, "A silo died: woke {Count} grains with pending work")]
    private partial void LogWoken(int count);

    [LoggerMessage(GrainEventIds.DeadSiloRecoveryFailed, LogLevel.Warning, "A silo died and its grains with pending work could not be woken at once; their recovery reminders will")]
    private partial void LogFailed(Exception exception);
}
