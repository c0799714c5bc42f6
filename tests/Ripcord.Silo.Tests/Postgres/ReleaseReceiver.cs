using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>
/// A provider's release endpoint that, like a real one, is idempotent per request key: Ripcord sends
/// <c>X-Ripcord-Resource</c> and <c>X-Ripcord-Attempt</c>, and a redelivered request (same key, after a silo died
/// between the call and its record) must not release twice. It counts deliveries and distinct releases.
/// </summary>
public sealed class ReleaseReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _attempts = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();

    private ReleaseReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ReleaseReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ReleaseReceiver? receiver = null;
        app.MapDelete("/vms/{id}", (string id, HttpContext context) =>
        {
            var attempt = context.Request.Headers["X-Ripcord-Attempt"].ToString();
            receiver!._attempts.GetOrAdd(id, _ => []).Add(attempt);
            receiver._waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new ReleaseReceiver(app, new Uri(address));
        return receiver;
    }

    public string UrlFor(string resourceId) => new Uri(Address, "/vms/" + resourceId).ToString();

    /// <summary>Calls received for the resource, redeliveries included.</summary>
    public int Deliveries(string resourceId) => _attempts.TryGetValue(resourceId, out var a) ? a.Count : 0;

    /// <summary>Distinct releases (request keys) of the resource: what the provider acted on.</summary>
    public int Releases(string resourceId) => _attempts.TryGetValue(resourceId, out var a) ? a.Distinct().Count() : 0;

    /// <summary>Completes at the first release call of the resource; fails after <paramref name="within"/> (default 60 s).</summary>
    public Task Released(string resourceId, TimeSpan? within = null) =>
        _waiters.GetOrAdd(resourceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(within ?? TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
