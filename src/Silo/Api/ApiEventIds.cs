namespace Ripcord.Silo.Api;

/// <summary>Logging event ids of the HTTP API (4100-4199 of the silo's range), the agent gateway and the live feed (4200-4299).</summary>
internal static class ApiEventIds
{
    public const int GrainCallFailed = 4100;
    public const int StreamEndedByFailure = 4101;

    public const int SignalRenewalFailed = 4200;
    public const int SignalUnsubscribeFailed = 4201;
    public const int SignalDeliveryNotRecorded = 4202;
    public const int ReadyRenewalFailed = 4210;
    public const int ChangeFeedReadFailed = 4220;
}
