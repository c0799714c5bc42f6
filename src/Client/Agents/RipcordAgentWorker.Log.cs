using Microsoft.Extensions.Logging;

namespace Ripcord.Client.Agents;

internal sealed partial class RipcordAgentWorker
{
    [LoggerMessage(EventId = AgentEventIds.WorkerStarted, Level = LogLevel.Information, Message = "Agent type {AgentType} started as agent {AgentId} with {Concurrency} slot(s)")]
    private partial void LogWorkerStarted(string agentType, string agentId, int concurrency);

    [LoggerMessage(EventId = AgentEventIds.WorkerStopped, Level = LogLevel.Information, Message = "Agent type {AgentType} (agent {AgentId}) stopped")]
    private partial void LogWorkerStopped(string agentType, string agentId);

    [LoggerMessage(EventId = AgentEventIds.PollFailed, Level = LogLevel.Warning, Message = "Polling for {AgentType} tasks failed; retrying in {Delay}")]
    private partial void LogPollFailed(Exception exception, string agentType, TimeSpan delay);

    [LoggerMessage(EventId = AgentEventIds.TaskClaimed, Level = LogLevel.Information, Message = "Task {CaseId}/{TaskId} claimed for {AgentType}")]
    private partial void LogTaskClaimed(string caseId, string taskId, string agentType);

    [LoggerMessage(EventId = AgentEventIds.ReportFailed, Level = LogLevel.Error, Message = "Running task {CaseId}/{TaskId} failed in the SDK")]
    private partial void LogReportFailed(Exception exception, string caseId, string taskId);

    [LoggerMessage(EventId = AgentEventIds.SignalStreamDropped, Level = LogLevel.Warning, Message = "Signal stream of agent {AgentId} dropped; reconnecting")]
    private partial void LogSignalStreamDropped(Exception exception, string agentId);

    [LoggerMessage(EventId = AgentEventIds.SignalForUnknownTask, Level = LogLevel.Debug, Message = "Cancel signal for task {CaseId}/{TaskId}, which this agent does not run (already finished?)")]
    private partial void LogSignalForUnknownTask(string? caseId, string? taskId);
}
