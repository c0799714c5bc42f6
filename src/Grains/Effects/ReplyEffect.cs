namespace Ripcord.Grains;

/// <summary>Answers the message being handled, when its sender asked.</summary>
public sealed record ReplyEffect(object Reply) : Effect;
