using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ripcord.Silo.SampleAgents;

/// <summary>What the sample agents use to call the simulated cloud over HTTP, as they would call a real one.</summary>
public sealed class SimulatedCloudClient : IDisposable
{
    private readonly HttpClient _http;

    public SimulatedCloudClient(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The silo the simulated cloud lives in.</summary>
    public Uri Server { get; }

    /// <summary>The URL that releases VM <paramref name="id"/> (<c>DELETE</c>): what the registry's webhook calls.</summary>
    public Uri VmUrl(string id) => new(Server, "sim/cloud/vms/" + Uri.EscapeDataString(id));

    public async Task<SimulatedVm> CreateVmAsync(string size, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("sim/cloud/vms", new { size, labels }, JsonSerializerOptions.Web, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<SimulatedVm>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidOperationException("The simulated cloud answered a VM creation with an empty body.");
    }

    /// <summary>Releases a VM; true when the cloud knew it (released now or already).</summary>
    public async Task<bool> ReleaseVmAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync(VmUrl(id), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public void Dispose() => _http.Dispose();
}
