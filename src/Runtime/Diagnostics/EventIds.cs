namespace Ripcord.Runtime.Diagnostics;

/// <summary>Stable log event ids, in ranges per subsystem: runtime 1000-1999, storage 2000-2999, grains 3000-3999, silo 4000-4999.</summary>
public static class EventIds
{
    public const int RuntimeStarted = 1000;
    public const int RuntimeStopped = 1001;
    public const int StopTimedOut = 1002;
    public const int HandlerFailed = 1010;
    public const int MessageDeadLettered = 1011;
    public const int UnknownGrainType = 1012;
    public const int StaleCommit = 1020;
    public const int StoreFailed = 1021;
    public const int ActivationRefused = 1022;
    public const int OutboxFailed = 1030;
    public const int OutboxUnhandled = 1031;
    public const int ReminderFailed = 1040;
    public const int PollFailed = 1041;

    public const int SchemaMigrated = 2000;
    public const int SiloRegistered = 2001;
    public const int SiloLeft = 2002;
    public const int ListenConnected = 2010;
    public const int ListenConnectionLost = 2011;
    public const int NotificationMalformed = 2012;
    public const int ReplyFetchFailed = 2013;
    public const int HeartbeatFailed = 2020;
    public const int MaintenanceFailed = 2021;
    public const int OutboxRecovered = 2030;
}
