using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Grains;
using Ripcord.Silo.Agents;

namespace Ripcord.Silo.Tests.Api;

/// <summary>The silo's agent signal streams and their subscription to the agent's signal grain.</summary>
public sealed class AgentSignalHubTests
{
    /// <summary>
    /// An agent's last stream on the silo closes and a new one connects at once; the old stream's unsubscribe reaches
    /// the signal grain after the new stream's connect. A signal pushed after that unsubscribe, before the hub
    /// subscribes again, still reaches the new stream.
    /// </summary>
    [Fact]
    public async Task LastStreamReplaced_UnsubscribeArrivesLate_SignalPushedBeforeResubscribingReachesTheNewStream()
    {
        var gate = new HoldingFilter();
        await using var silo = await RunningSilo.StartAsync(TestKeys.Settings(), b => b.Services.AddSingleton<IOutgoingGrainCallFilter>(gate));
        var hub = silo.Services.GetRequiredService<AgentSignalHub>();
        var grain = silo.Services.GetRequiredService<GrainReferences>().AgentSignals("late-unsubscribe");
        var first = await hub.ConnectAsync("late-unsubscribe");

        var unsubscribe = gate.HoldNext(nameof(IAgentSignalGrain.Unsubscribe));
        first.Dispose();
        await unsubscribe.Held;
        using var second = await hub.ConnectAsync("late-unsubscribe");
        var resubscribe = gate.HoldNext(nameof(IAgentSignalGrain.Connect), nameof(IAgentSignalGrain.Subscribe));
        unsubscribe.Release();
        await resubscribe.Held;
        var signal = new CancelSignalNotice("c-late", "t", "late-unsubscribe", CancelMode.Standard, "pushed in the gap", DateTimeOffset.UtcNow.AddMinutes(10), 0);
        Assert.Equal(0, await grain.Push(signal));
        resubscribe.Release();

        var received = await second.Signals.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(("c-late", "pushed in the gap"), (received.CaseId, received.Reason));
    }

    /// <summary>Holds the next outgoing call to one of the named methods until released.</summary>
    private sealed class HoldingFilter : IOutgoingGrainCallFilter
    {
        private Hold? _next;

        public Hold HoldNext(params string[] methods)
        {
            var hold = new Hold(methods);
            return Interlocked.CompareExchange(ref _next, hold, null) is null ? hold : throw new InvalidOperationException("A hold is armed already.");
        }

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (_next is { } hold && hold.Methods.Contains(context.MethodName) && Interlocked.CompareExchange(ref _next, null, hold) == hold)
            {
                hold.Reached();
                await hold.Released;
            }

            await context.Invoke();
        }
    }

    private sealed class Hold(string[] methods)
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string[] Methods { get; } = methods;

        public Task Held => _held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public Task Released => _released.Task;

        public void Reached() => _held.TrySetResult();

        public void Release() => _released.TrySetResult();
    }
}
