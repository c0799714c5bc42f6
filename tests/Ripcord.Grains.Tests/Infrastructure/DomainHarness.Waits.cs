using Ripcord.Contracts;

namespace Ripcord.Grains.Tests;

/// <summary>Waits on the cluster's progress: each check runs again after every written turn and handled outbox item.</summary>
public sealed partial class DomainHarness
{
    public Task WaitForCaseAsync(string caseId, CaseStatus status) =>
        WaitForAsync(() => Case(caseId).Status == status, () => $"case {caseId} to be {ApiNames.Of(status)} (it is {ApiNames.Of(Case(caseId).Status)})");

    public Task WaitForTaskAsync(string caseId, string taskId, CaseTaskStatus status) =>
        WaitForAsync(() => Task(caseId, taskId)?.Status == status, () => $"task {caseId}/{taskId} to be {ApiNames.Of(status)}");

    public Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(condition, () => what);

    /// <summary>
    /// The case's view once <paramref name="done"/> holds for it: a turn's history rows follow its state write, so a
    /// status seen in state may not be in history yet.
    /// </summary>
    public Task<CaseView> WaitForViewAsync(string caseId, Func<CaseView, bool> done) =>
        UntilAsync(
            async () =>
            {
                var view = await ViewAsync(caseId);
                return (done(view), view);
            },
            view => $"the view of case {caseId} (status {ApiNames.Of(view.Status)}, {view.History.Count()} history events)");

    /// <summary>Waits until an asynchronous check holds, re-checking after every change.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> check, string what) =>
        UntilAsync(async () => (await check(), true), _ => what);

    private Task WaitForAsync(Func<bool> condition, Func<string> what) =>
        UntilAsync(() => System.Threading.Tasks.Task.FromResult((condition(), true)), _ => what());

    /// <summary>Checks until one says done, re-checking after every change; fails after <see cref="SafetyNet"/>, describing the last value.</summary>
    private async Task<T> UntilAsync<T>(Func<Task<(bool Done, T Value)>> check, Func<T, string> what)
    {
        // Not disposed: a change raised on another thread may still release it after the wait has ended.
        var signal = new SemaphoreSlim(0);
        void OnChanged() => signal.Release();
        Changed += OnChanged;
        try
        {
            using var timeout = new CancellationTokenSource(SafetyNet);
            while (true)
            {
                var (done, value) = await check();
                if (done)
                {
                    return value;
                }

                try
                {
                    await signal.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"Gave up waiting for {what(value)}.");
                }
            }
        }
        finally
        {
            Changed -= OnChanged;
        }
    }
}
