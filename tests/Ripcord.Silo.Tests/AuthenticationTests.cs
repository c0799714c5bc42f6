using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ripcord.Silo.Tests;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private RunningSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await RunningSilo.StartAsync(TestKeys.Settings());

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-configured-key")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer ")]
    public async Task Me_MissingOrUnknownKey_Answers401Unauthenticated(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await _silo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthenticated", body.RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(TestKeys.Admin, "root", "admin")]
    [InlineData(TestKeys.Operator, "alice", "operator")]
    [InlineData(TestKeys.Viewer, "victor", "viewer")]
    [InlineData(TestKeys.Agent, "agent-host", "agent")]
    public async Task Me_ConfiguredKey_AnswersItsPrincipalAndRoles(string key, string principal, string role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await _silo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(principal, body.RootElement.GetProperty("principal").GetString());
        Assert.Equal([role], body.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(body.RootElement.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task UnknownApiPath_Answers404WithProblemCode()
    {
        var response = await _silo.Http.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", body.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_IsServed()
    {
        var response = await _silo.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("paths").TryGetProperty("/api/v1/me", out _));
    }

    [Fact]
    public async Task Start_KeyWithUnknownRole_FailsNamingTheRole()
    {
        var settings = TestKeys.Settings();
        settings["Ripcord:Auth:ApiKeys:0:Roles:0"] = "superuser";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningSilo.StartAsync(settings));

        Assert.Contains("superuser", error.ToString(), StringComparison.Ordinal);
    }
}
