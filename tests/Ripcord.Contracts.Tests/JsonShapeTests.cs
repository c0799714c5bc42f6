using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Contracts.Tests;

public sealed class JsonShapeTests
{
    [Theory]
    [InlineData(CaseStatus.Running, "running")]
    [InlineData(CaseStatus.CancelPending, "cancel_pending")]
    [InlineData(CaseStatus.ForceCancelling, "force_cancelling")]
    [InlineData(CaseStatus.Cancelled, "cancelled")]
    public void CaseStatus_Serialized_AsApiName(CaseStatus status, string name)
    {
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(status));
        Assert.Equal(name, ApiNames.Of(status));
        Assert.Equal(status, JsonSerializer.Deserialize<CaseStatus>($"\"{name}\""));
    }

    [Fact]
    public void EveryLifecycleEnum_SerializesToItsApiName()
    {
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            Assert.Equal($"\"{ApiNames.Of(status)}\"", JsonSerializer.Serialize(status));
        }

        foreach (var status in Enum.GetValues<CaseTaskStatus>())
        {
            Assert.Equal($"\"{ApiNames.Of(status)}\"", JsonSerializer.Serialize(status));
        }

        foreach (var status in Enum.GetValues<ResourceStatus>())
        {
            Assert.Equal($"\"{ApiNames.Of(status)}\"", JsonSerializer.Serialize(status));
        }

        Assert.Equal("\"force\"", JsonSerializer.Serialize(CancelMode.Force));
    }

    [Fact]
    public void CaseView_Serialized_UsesTheApiFieldNames()
    {
        var view = new CaseView
        {
            CaseId = "c-1",
            Process = "report",
            Status = CaseStatus.Cancelling,
            Cancel = new CaseCancelView { Mode = CancelMode.Standard, RequestedBy = "alice", Reason = "why" },
            Tasks = [new TaskView { TaskId = "generate", Node = "generate", Status = CaseTaskStatus.Cancelling, AgentId = "agent-7", Attempt = 1, Cancel = new TaskCancelView { EscalationLevel = 1 }, Usage = new Usage { Tokens = 1200, GpuSeconds = 3.5 } }],
            Resources = [new ResourceView { ResourceId = "vm-1", Kind = "vm", TaskId = "generate", Status = ResourceStatus.Released }],
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(view, RipcordJson.Options));
        var root = json.RootElement;

        Assert.Equal("c-1", root.GetProperty("caseId").GetString());
        Assert.Equal("cancelling", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("endedAt").ValueKind);
        Assert.Equal("alice", root.GetProperty("cancel").GetProperty("requestedBy").GetString());
        var task = root.GetProperty("tasks")[0];
        Assert.Equal("agent-7", task.GetProperty("agentId").GetString());
        Assert.Equal(1, task.GetProperty("cancel").GetProperty("escalationLevel").GetInt32());
        Assert.Equal(3.5, task.GetProperty("usage").GetProperty("gpuSeconds").GetDouble());
        Assert.Equal("released", root.GetProperty("resources")[0].GetProperty("status").GetString());
        var back = JsonSerializer.Deserialize<CaseView>(json.RootElement.GetRawText(), RipcordJson.Options)!;
        Assert.Equal(CaseStatus.Cancelling, back.Status);
        Assert.Equal("generate", Assert.Single(back.Tasks).TaskId);
    }

    [Fact]
    public void ProcessDefinition_RoundTrips()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "processes", "report.json"));
        var definition = ProcessDefinitionParser.Parse(text).GetOrThrow();

        var json = JsonSerializer.Serialize(definition, RipcordJson.Options);
        var back = ProcessDefinitionParser.Parse(json).GetOrThrow();

        Assert.Equal(json, JsonSerializer.Serialize(back, RipcordJson.Options));
    }

    [Fact]
    public void CancelOverrides_ApplyTo_ReplacesOnlyGivenFields()
    {
        var settings = new CancelOverrides { HoldSeconds = 30 }.ApplyTo(CancelSettings.Default);

        Assert.Equal(30, settings.HoldSeconds);
        Assert.Equal(5, settings.AckTimeoutSeconds);
        Assert.Equal(10, settings.GracePeriodSeconds);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(10, 60)]
    public void ReleaseSettings_BackoffAfter_DoublesUpToTheCap(int failures, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReleaseSettings.Default.BackoffAfter(failures));
    }

    [Theory]
    [InlineData("webhook", "http://x.test/r", null)]
    [InlineData("none", null, null)]
    [InlineData("webhook", "not a url", "release.url")]
    [InlineData("webhook", "ftp://x.test/r", "release.url")]
    [InlineData("email", "http://x.test/r", "release.type")]
    [InlineData("webhook", "http://x.test/r", "release.method", "DEL ETE")]
    [InlineData("webhook", "http://x.test/r", "release.method", "")]
    public void ResourceReleaseAction_Validate_NamesTheFault(string type, string? url, string? fault, string method = "DELETE")
    {
        var error = new ResourceReleaseAction { Type = type, Url = url, Method = method }.Validate();

        if (fault is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.StartsWith(fault, error, StringComparison.Ordinal);
        }
    }
}
