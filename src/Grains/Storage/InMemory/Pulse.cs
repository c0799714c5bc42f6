namespace Ripcord.Grains.Storage.InMemory;

/// <summary>A wake-up many waiters can await: each <see cref="Fire"/> completes the current wait and starts the next.</summary>
internal sealed class Pulse
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Fire() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes when the pulse fires or <paramref name="timeout"/> passes, never throwing for either.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The timeout is the fallback: the caller reads again either way.
        }
    }
}
