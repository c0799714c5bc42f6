using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.InMemory;
using Ripcord.Testing;
using Ripcord.Testing.Grains;

namespace Ripcord.Runtime.Tests;

public sealed class RuntimeHostingTests
{
    [Fact]
    public async Task AddRipcordRuntime_CalledTwice_RegistersOneRuntimeThatStartsWithTheHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new FailurePlan());
        builder.Services.AddRipcordRuntime(o => o.MaxDegreeOfParallelism = 2);
        builder.Services.AddRipcordRuntime();
        builder.Services.AddGrain<CounterGrain>(CounterGrain.Type);
        builder.Services.AddGrain<CounterGrain>(CounterGrain.Type);
        using var host = builder.Build();

        Assert.Single(host.Services.GetServices<IHostedService>());
        Assert.IsType<InMemoryGrainStore>(host.Services.GetRequiredService<IGrainStore>());
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IGrainClient>();
        var grain = CounterGrain.Id("case-host", "a");
        await client.SendAsync(grain, new Increment(4));
        var result = await client.AskAsync<long>(grain, new GetCount(), TurnProbe.SafetyTimeout);
        await host.StopAsync();

        Assert.Equal(4, result.Value);
        Assert.Same(client, host.Services.GetRequiredService<GrainRuntime>());
    }

    [Fact]
    public async Task Start_InvalidOptions_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRipcordRuntime(o => o.MaxDegreeOfParallelism = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("MaxDegreeOfParallelism", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_TurnsInFlight_FinishAndLaterSendsStayInTheStore()
    {
        var clock = new FakeTimeProvider();
        var store = new InMemoryGrainStore(clock);
        var registry = new GrainTypeRegistry().Add(CounterGrain.Type, new CounterGrain(new FailurePlan()));
        var runtime = new GrainRuntime(store, registry, Microsoft.Extensions.Options.Options.Create(new RuntimeOptions()), clock);
        await runtime.StartAsync(CancellationToken.None);
        var grain = CounterGrain.Id("case-stop", "a");
        Assert.Equal(1, (await runtime.AskAsync<long>(grain, new FailWhilePlanned("x"), TurnProbe.SafetyTimeout)).Value);

        await runtime.StopAsync(CancellationToken.None);
        await runtime.SendAsync(grain, new Increment());

        Assert.Contains(grain, await store.FindGrainsWithMessagesAsync(10, CancellationToken.None));
        Assert.Equal(1, ((CounterState)(await store.ReadStateAsync(grain, CancellationToken.None))!.State!).Value);

        // A new runtime on the same store picks up the waiting message at start.
        var next = new GrainRuntime(store, registry, Microsoft.Extensions.Options.Options.Create(new RuntimeOptions()), clock);
        using var probe = new TurnProbe(next);
        await next.StartAsync(CancellationToken.None);
        Assert.Equal(2, (await probe.WaitForStateAsync<CounterState>(grain, s => s.Value == 2)).Value);
        await next.DisposeAsync();
    }
}
