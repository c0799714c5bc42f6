using Ripcord.Contracts;

namespace Ripcord.Contracts.Tests;

public sealed class ProcessDefinitionParserTests
{
    private static DefinitionParseResult Parse(string json) => ProcessDefinitionParser.Parse(json);

    private static string File(string name) => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "processes", name));

    [Fact]
    public void Parse_ShippedReportProcess_IsValidAndMatchesTheSeed()
    {
        var result = Parse(File("report.json"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var report = result.Definition!;
        Assert.Equal("report", report.Name);
        var generate = report.FindNode("generate")!;
        Assert.Equal("report-generator", generate.Agent);
        Assert.Equal(600, generate.TimeoutSeconds);
        Assert.Equal("summary", generate.OnCancel);
        Assert.Equal("quick-summary", report.FindNode("summary")!.Agent);
        Assert.Equal(JoinMode.First, report.FindNode("deliver")!.JoinMode);
        Assert.Equal(["generate"], report.StartNodes().Select(n => n.Id));
        Assert.True(report.IsFallbackOnly("summary"));
        Assert.True(report.IsTerminal("deliver"));
    }

    [Fact]
    public void Parse_ShippedInvestmentProcess_IsValidAndMatchesTheSeed()
    {
        var result = Parse(File("investment.json"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var investment = result.Definition!;
        Assert.Equal(["market", "founders", "financials"], investment.StartNodes().Select(n => n.Id));
        Assert.Equal(JoinMode.All, investment.FindNode("analyses")!.JoinMode);
        Assert.Equal(["market", "founders", "financials"], investment.PredecessorsOf("analyses").ToArray());
        Assert.Equal("close-case", investment.FindNode("close")!.Agent);
        Assert.True(investment.IsTerminal("close"));
    }

    [Fact]
    public void Parse_MissingOptionalBlocks_UsesDocumentedDefaults()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ] }""");

        Assert.True(result.IsValid);
        var p = result.Definition!;
        Assert.Equal(5, p.Cancel.AckTimeoutSeconds);
        Assert.Equal(10, p.Cancel.GracePeriodSeconds);
        Assert.Equal(0, p.Cancel.HoldSeconds);
        Assert.Equal([EscalationAction.Reemit, EscalationAction.Fence, EscalationAction.Alert], p.Cancel.Escalation.Select(s => s.Action));
        Assert.Equal(5, p.HeartbeatSeconds);
        Assert.Equal(15, p.EffectiveLeaseSeconds);
        Assert.Equal(3, p.Nodes[0].EffectiveMaxAttempts);
        Assert.Equal(5, p.Release.MaxAttempts);
    }

    [Fact]
    public void Parse_PartialCancelBlockWithFractions_KeepsOtherDefaults()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "cancel": { "ackTimeoutSeconds": 0.5 } }""");

        Assert.True(result.IsValid);
        Assert.Equal(0.5, result.Definition!.Cancel.AckTimeoutSeconds);
        Assert.Equal(10, result.Definition.Cancel.GracePeriodSeconds);
    }

    [Fact]
    public void Parse_UnknownNodeInEdge_NamesTheEdgeAndTheNode()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "edges": [ ["a", "ghost"] ] }""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(DefinitionErrorCodes.UnknownNodeInEdge, error.Code);
        Assert.Equal("ghost", error.NodeId);
        Assert.Contains("[a, ghost]", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Parse_Cycle_NamesTheNodesOfTheCycle()
    {
        var result = Parse("""
            { "name": "p",
              "nodes": [ { "id": "s", "agent": "x" }, { "id": "a", "agent": "x" }, { "id": "b", "agent": "x" } ],
              "edges": [ ["s", "a"], ["a", "b"], ["b", "a"] ] }
            """);

        var error = Assert.Single(result.Errors, e => e.Code == DefinitionErrorCodes.Cycle);
        Assert.Contains("a -> b -> a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NodesOnlyReachableThroughEachOthersFallback_AreUnreachable()
    {
        var result = Parse("""
            { "name": "p",
              "nodes": [ { "id": "s", "agent": "x" }, { "id": "a", "agent": "x", "onCancel": "b" }, { "id": "b", "agent": "x", "onCancel": "a" } ] }
            """);

        var errors = result.Errors.Where(e => e.Code == DefinitionErrorCodes.UnreachableNode).ToList();
        Assert.Equal(["a", "b"], errors.Select(e => e.NodeId));
        Assert.Contains("'a' can never start", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OnCancelToMissingNode_NamesSourceAndTarget()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "onCancel": "plan-b" } ] }""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(DefinitionErrorCodes.MissingOnCancelTarget, error.Code);
        Assert.Equal("a", error.NodeId);
        Assert.Contains("plan-b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TaskWithoutAgent_NamesTheNode()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "lonely" } ] }""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(DefinitionErrorCodes.TaskWithoutAgent, error.Code);
        Assert.Equal("lonely", error.NodeId);
    }

    [Fact]
    public void Parse_UnknownJoinMode_NamesTheModeAndTheAllowedOnes()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" }, { "id": "j", "join": "any" } ], "edges": [ ["a", "j"] ] }""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(DefinitionErrorCodes.UnknownJoinMode, error.Code);
        Assert.Contains("'any'", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"first\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" }, { "id": "a", "agent": "y" } ] }""", DefinitionErrorCodes.DuplicateNode)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "j", "agent": "x", "join": "all" } ] }""", DefinitionErrorCodes.JoinWithAgent)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "timeoutSeconds": 0 } ] }""", DefinitionErrorCodes.InvalidTimeout)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "maxAttempts": 0 } ] }""", DefinitionErrorCodes.InvalidMaxAttempts)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "edges": [ ["a"] ] }""", DefinitionErrorCodes.InvalidEdge)]
    [InlineData("""{ "name": "", "nodes": [ { "id": "a", "agent": "x" } ] }""", DefinitionErrorCodes.MissingName)]
    [InlineData("""{ "name": "p", "nodes": [] }""", DefinitionErrorCodes.NoNodes)]
    [InlineData("""{ "name": "p", "nodes": [ { "agent": "x" } ] }""", DefinitionErrorCodes.MissingNodeId)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "onCancel": "a" } ] }""", DefinitionErrorCodes.InvalidOnCancel)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "onCancel": "b", "checkpointWaitSeconds": -1 }, { "id": "b", "agent": "y" } ] }""", DefinitionErrorCodes.InvalidCheckpointWait)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "onCancel": "b", "checkpointWaitSeconds": 3601 }, { "id": "b", "agent": "y" } ] }""", DefinitionErrorCodes.InvalidCheckpointWait)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "checkpointWaitSeconds": 2 } ] }""", DefinitionErrorCodes.InvalidCheckpointWait)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "cancel": { "ackTimeoutSeconds": -1 } }""", DefinitionErrorCodes.InvalidSettings)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "cancel": { "escalation": [ { "afterAckTimeouts": 1, "action": "reemit" } ] } }""", DefinitionErrorCodes.InvalidSettings)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "heartbeatSeconds": 10, "leaseSeconds": 5 }""", DefinitionErrorCodes.InvalidSettings)]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x" } ], "release": { "maxAttempts": 0 } }""", DefinitionErrorCodes.InvalidSettings)]
    public void Parse_FaultyDefinition_RefusedWithTheFaultsCode(string json, string code)
    {
        var result = Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Code == code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.25)]
    [InlineData(30)]
    public void Parse_CheckpointWaitOnANodeWithAFallback_Accepted(double wait)
    {
        var result = Parse($$"""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "onCancel": "b", "checkpointWaitSeconds": {{wait.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }, { "id": "b", "agent": "y" } ] }""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(wait, result.Definition!.Nodes[0].CheckpointWait);
        Assert.Equal(NodeDefinition.DefaultCheckpointWaitSeconds, result.Definition.Nodes[1].CheckpointWait);
    }

    [Theory]
    [InlineData("{ not json", "invalid_json")]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "timeoutSeconds": "ten" } ] }""", "$.nodes[0].timeoutSeconds")]
    [InlineData("""{ "name": "p", "nodes": [ { "id": "a", "agent": "x", "join": 3 } ] }""", "$.nodes[0].join")]
    [InlineData("null", "null")]
    public void Parse_MalformedJson_RefusedWithInvalidJsonNamingWhere(string json, string expected)
    {
        var result = Parse(json);

        var error = Assert.Single(result.Errors);
        Assert.Equal(DefinitionErrorCodes.InvalidJson, error.Code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralFaults_ReportsEveryOne()
    {
        var result = Parse("""
            { "name": "p",
              "nodes": [ { "id": "a" }, { "id": "b", "agent": "x", "onCancel": "zzz" }, { "id": "j", "join": "some" } ],
              "edges": [ ["b", "j"], ["j", "ghost"] ] }
            """);

        Assert.Equal(
            [DefinitionErrorCodes.TaskWithoutAgent, DefinitionErrorCodes.UnknownJoinMode, DefinitionErrorCodes.UnknownNodeInEdge, DefinitionErrorCodes.MissingOnCancelTarget],
            result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void GetOrThrow_InvalidDefinition_ThrowsWithEveryError()
    {
        var result = Parse("""{ "name": "p", "nodes": [ { "id": "a" } ] }""");

        var e = Assert.Throws<InvalidProcessDefinitionException>(() => result.GetOrThrow());
        Assert.Equal(result.Errors, e.Errors);
        Assert.Contains("task_without_agent", e.Message, StringComparison.Ordinal);
    }
}
