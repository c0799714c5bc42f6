using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Ripcord.Silo.Tests.Api;

/// <summary>A real HTTP endpoint that counts release calls, standing in for a cloud provider's API.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();

    private WebhookReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Answers 500 to this many calls before it answers 204, to exercise the registry's retries.</summary>
    public int FailuresBeforeSuccess { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Map("/vms/{id}", (string id, HttpContext context) =>
        {
            var calls = receiver!._calls.AddOrUpdate($"{context.Request.Method} {id}", 1, (_, c) => c + 1);
            if (calls <= receiver.FailuresBeforeSuccess)
            {
                return Results.StatusCode(500);
            }

            receiver._waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Results.NoContent();
        });
        // A provider that moved: sends the release elsewhere (the silo must not follow).
        app.Map("/moved/{id}", (string id, HttpContext context) =>
        {
            receiver!._calls.AddOrUpdate($"{context.Request.Method} moved/{id}", 1, (_, c) => c + 1);
            return Results.Redirect("/vms/" + id, permanent: false, preserveMethod: true);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, new Uri(address));
        return receiver;
    }

    public string UrlFor(string resourceId) => new Uri(Address, "/vms/" + resourceId).ToString();

    /// <summary>A release URL that answers 307 to <see cref="UrlFor"/>; its calls count as <c>moved/{id}</c>.</summary>
    public string MovedUrlFor(string resourceId) => new Uri(Address, "/moved/" + resourceId).ToString();

    public int Calls(string method, string resourceId) => _calls.GetValueOrDefault($"{method} {resourceId}");

    public Task Released(string resourceId) =>
        _waiters.GetOrAdd(resourceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
