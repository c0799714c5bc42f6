using Microsoft.Extensions.Logging;
using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

internal sealed partial class AgentTaskRun
{
    [LoggerMessage(EventId = AgentEventIds.CancelReceived, Level = LogLevel.Information, Message = "Cancel of task {CaseId}/{TaskId} ({Mode}) received by {Via}: {Reason}")]
    private partial void LogCancelReceived(string caseId, string taskId, CancelMode mode, string via, string? reason);

    [LoggerMessage(EventId = AgentEventIds.CancelAcknowledged, Level = LogLevel.Information, Message = "Cancel of task {CaseId}/{TaskId} acknowledged (checkpoint: {HasCheckpoint})")]
    private partial void LogCancelAcknowledged(string caseId, string taskId, bool hasCheckpoint);

    [LoggerMessage(EventId = AgentEventIds.TaskCompleted, Level = LogLevel.Information, Message = "Task {CaseId}/{TaskId} completed")]
    private partial void LogTaskCompleted(string caseId, string taskId);

    [LoggerMessage(EventId = AgentEventIds.TaskFailed, Level = LogLevel.Warning, Message = "Task {CaseId}/{TaskId} failed")]
    private partial void LogTaskFailed(Exception exception, string caseId, string taskId);

    [LoggerMessage(EventId = AgentEventIds.LeaseLost, Level = LogLevel.Warning, Message = "Lease on task {CaseId}/{TaskId} lost; the agent was stopped")]
    private partial void LogLeaseLost(Exception exception, string caseId, string taskId);

    [LoggerMessage(EventId = AgentEventIds.TaskAbandoned, Level = LogLevel.Information, Message = "Task {CaseId}/{TaskId} left unfinished because the host is stopping; its lease will run out")]
    private partial void LogTaskAbandoned(string caseId, string taskId);

    [LoggerMessage(EventId = AgentEventIds.OutputDiscarded, Level = LogLevel.Information, Message = "Task {CaseId}/{TaskId} was cancelled before {What}; the server recorded it as late: {Detail}")]
    private partial void LogOutputDiscarded(string caseId, string taskId, string what, string? detail);

    [LoggerMessage(EventId = AgentEventIds.HeartbeatFailed, Level = LogLevel.Warning, Message = "Heartbeat of task {CaseId}/{TaskId} failed")]
    private partial void LogHeartbeatFailed(Exception exception, string caseId, string taskId);

    [LoggerMessage(EventId = AgentEventIds.ReportFailed, Level = LogLevel.Warning, Message = "Sending {What} for task {CaseId}/{TaskId} failed (attempt {Attempt})")]
    private partial void LogReportFailed(Exception exception, string what, string caseId, string taskId, int attempt);
}
