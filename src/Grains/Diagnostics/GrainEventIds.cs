namespace Ripcord.Grains.Diagnostics;

/// <summary>Stable log event ids of the cancellation domain, in the grains range 3000-3999.</summary>
public static class GrainEventIds
{
    public const int ReleaseWebhookFailed = 3000;
    public const int KillHookFailed = 3001;
    public const int UnexpectedOutboxPayload = 3002;
    public const int ReleaseHostNotAllowed = 3003;
    public const int DeliveryFailed = 3010;
    public const int HandlerFailed = 3011;
    public const int StaleWrite = 3012;
    public const int DeadlineFailed = 3013;
    public const int CompactionFailed = 3014;
    public const int DeadSiloRecoveryWoke = 3015;
    public const int DeadSiloRecoveryFailed = 3016;
}
