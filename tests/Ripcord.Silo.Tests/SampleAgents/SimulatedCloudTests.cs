using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Ripcord.Silo.Tests.SampleAgents;

/// <summary>The simulated cloud's own endpoints: unauthenticated, and present only with the sample agents on.</summary>
public sealed class SimulatedCloudTests : IAsyncLifetime
{
    private RunningSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await SampleSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task CreateVm_AnswersCreatedRunningVm_ListedWithoutAnApiKey()
    {
        var response = await _silo.Http.PostAsJsonAsync("/sim/cloud/vms", new { size = "gpu-large", labels = new { caseId = "c-1" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var vm = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = vm.GetProperty("id").GetString()!;
        Assert.Equal($"/sim/cloud/vms/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("gpu-large", vm.GetProperty("size").GetString());
        Assert.Equal("running", vm.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, vm.GetProperty("releasedAt").ValueKind);
        Assert.Equal("c-1", vm.GetProperty("labels").GetProperty("caseId").GetString());
        Assert.True(vm.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        var list = await _silo.Http.GetFromJsonAsync<JsonElement>(new Uri("/sim/cloud/vms", UriKind.Relative));
        Assert.Contains(list.GetProperty("vms").EnumerateArray(), v => v.GetProperty("id").GetString() == id && v.GetProperty("state").GetString() == "running");
    }

    [Fact]
    public async Task CreateVm_WithoutBody_UsesTheDefaultSize()
    {
        var response = await _silo.Http.PostAsync(new Uri("/sim/cloud/vms", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("standard-4", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("size").GetString());
    }

    [Theory]
    [InlineData("{\"size\":")]
    [InlineData("{\"size\":42}")]
    [InlineData("{\"size\":\"has spaces\"}")]
    public async Task CreateVm_BadBody_Answers400InvalidRequest(string body)
    {
        var before = (await _silo.Http.GetFromJsonAsync<JsonElement>(new Uri("/sim/cloud/vms", UriKind.Relative))).GetProperty("vms").GetArrayLength();

        var response = await _silo.Http.PostAsync(new Uri("/sim/cloud/vms", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var after = (await _silo.Http.GetFromJsonAsync<JsonElement>(new Uri("/sim/cloud/vms", UriKind.Relative))).GetProperty("vms").GetArrayLength();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task DeleteVm_ReleasesIt_AndAgainIsIdempotent()
    {
        var created = await (await _silo.Http.PostAsync(new Uri("/sim/cloud/vms", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var url = new Uri($"/sim/cloud/vms/{created.GetProperty("id").GetString()}", UriKind.Relative);

        var first = await _silo.Http.DeleteAsync(url);
        var second = await _silo.Http.DeleteAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var released = await first.Content.ReadFromJsonAsync<JsonElement>();
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("released", released.GetProperty("state").GetString());
        Assert.Equal(released.GetProperty("releasedAt").GetDateTimeOffset(), again.GetProperty("releasedAt").GetDateTimeOffset());
        Assert.Equal(2, again.GetProperty("releaseCalls").GetInt32());
        var listed = await _silo.Http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("released", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task DeleteVm_UnknownId_Answers404()
    {
        var response = await _silo.Http.DeleteAsync(new Uri("/sim/cloud/vms/vm-unknown", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task DeleteVm_FromTheRegistry_RecordsTheCase()
    {
        var created = await (await _silo.Http.PostAsync(new Uri("/sim/cloud/vms", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/sim/cloud/vms/{created.GetProperty("id").GetString()}");
        request.Headers.Add("X-Ripcord-Case", "c-42");

        var released = await (await _silo.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("c-42", released.GetProperty("releasedByCase").GetString());
    }
}
