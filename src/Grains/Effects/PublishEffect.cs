namespace Ripcord.Grains;

/// <summary>Publishes an outbox item (I/O done after the commit: webhooks, pushes to agents).</summary>
public sealed record PublishEffect(string Topic, object Payload) : Effect;
