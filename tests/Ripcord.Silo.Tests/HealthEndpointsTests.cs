using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace Ripcord.Silo.Tests;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_SiloRunning_AnswersAlive()
    {
        await using var silo = await RunningSilo.StartAsync();

        var response = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("alive", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_EmbeddedStore_AnswersReadyWithTheSiloId()
    {
        await using var silo = await RunningSilo.StartAsync(new Dictionary<string, string?> { ["Ripcord:Cluster:SiloName"] = "silo-under-test" });

        var response = await silo.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("silo-under-test", body.RootElement.GetProperty("silo").GetString());
    }

    /// <summary>
    /// While the host stops (SIGTERM), before the silo has left the cluster, readiness already says no: a load
    /// balancer stops sending requests to a silo that is draining. The host's stop is held at its first step.
    /// </summary>
    [Fact]
    public async Task Readyz_HostStopping_AnswersUnavailableWhileTheSiloDrains()
    {
        var hold = new StopHold();
        await using var silo = await RunningSilo.StartAsync(configure: b => b.Services.AddSingleton<IHostedService>(hold));
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        // As SIGTERM does: the lifetime says stopping, then the host stops its services.
        silo.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var stop = silo.Services.GetRequiredService<IHost>().StopAsync();
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var response = await silo.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        hold.Release();
        await stop.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unavailable", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("stopping", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Build_UnknownStoreKind_FailsNamingTheKind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Ripcord.Silo.Hosting.SiloHost.Build(["--Ripcord:Store:Kind=Cassandra"]));

        Assert.Contains("Cassandra", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A hosted service whose first stop step waits for the test: until then the web server still serves.</summary>
    private sealed class StopHold : IHostedLifecycleService
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            return _released.Task.WaitAsync(cancellationToken);
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
