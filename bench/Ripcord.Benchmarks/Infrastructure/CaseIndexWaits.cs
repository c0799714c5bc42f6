using System.Diagnostics;
using Ripcord.Contracts;
using Ripcord.Grains.Storage;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>Waits on the silo's own case index (in process, no HTTP), outside what a suite measures.</summary>
internal static class CaseIndexWaits
{
    /// <summary>The case's row once its status is terminal (completed, failed or cancelled).</summary>
    public static async Task<CaseIndexEntry> WaitForEndAsync(this ICaseIndex index, string caseId, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var seen = await index.LastChangeSequenceAsync(CancellationToken.None);
            if (await index.GetAsync(caseId, CancellationToken.None) is { Status: CaseStatus.Completed or CaseStatus.Failed or CaseStatus.Cancelled } entry)
            {
                return entry;
            }

            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Case '{caseId}' did not end within {timeout.TotalSeconds:F0} s.");
            }

            await index.WaitForChangeAsync(seen, left, CancellationToken.None);
        }
    }
}
