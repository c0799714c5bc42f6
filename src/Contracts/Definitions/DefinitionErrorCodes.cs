namespace Ripcord.Contracts;

/// <summary>The stable codes of <see cref="DefinitionError"/>.</summary>
public static class DefinitionErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string MissingName = "missing_name";
    public const string NoNodes = "no_nodes";
    public const string MissingNodeId = "missing_node_id";
    public const string DuplicateNode = "duplicate_node";
    public const string TaskWithoutAgent = "task_without_agent";
    public const string JoinWithAgent = "join_with_agent";
    public const string UnknownJoinMode = "unknown_join_mode";
    public const string InvalidEdge = "invalid_edge";
    public const string UnknownNodeInEdge = "unknown_node_in_edge";
    public const string Cycle = "cycle";
    public const string UnreachableNode = "unreachable_node";
    public const string MissingOnCancelTarget = "missing_on_cancel_target";
    public const string InvalidOnCancel = "invalid_on_cancel";
    public const string InvalidCheckpointWait = "invalid_checkpoint_wait";
    public const string InvalidTimeout = "invalid_timeout";
    public const string InvalidMaxAttempts = "invalid_max_attempts";
    public const string InvalidSettings = "invalid_settings";
}
