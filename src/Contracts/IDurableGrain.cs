namespace Ripcord.Contracts;

/// <summary>
/// What every grain of a case accepts besides its commands: messages from another grain's outbox, applied once by
/// message id, the wake-up of its deadline timer, and the wake-up an activation sends its successor. Orleans delivers a
/// call at most once; these are how a grain's effects and deadlines survive a lost call or a dead silo.
/// </summary>
[Alias("ripcord.durable-grain")]
public interface IDurableGrain : IGrainWithStringKey
{
    /// <summary>Applies <paramref name="mail"/> unless its sender's sequence was already applied; durable when it returns.</summary>
    [Alias("deliver")]
    Task Deliver(Mail mail);

    /// <summary>Runs every deadline of the grain that is due now.</summary>
    [Alias("fire-deadlines")]
    Task FireDeadlines();

    /// <summary>
    /// Brings the grain back: its activation resumes the outbox and re-arms the deadlines. Sent by an activation that
    /// Orleans ends while it still has work pending, so that work goes on at once and not at the recovery reminder's tick.
    /// </summary>
    [OneWay]
    [Alias("wake")]
    Task Wake();
}
