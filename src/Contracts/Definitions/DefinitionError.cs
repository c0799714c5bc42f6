namespace Ripcord.Contracts;

/// <summary>One fault of a process definition: a stable <see cref="Code"/>, a message naming the fault, and the node at fault if any.</summary>
public sealed record DefinitionError(string Code, string Message, string? NodeId = null)
{
    public override string ToString() => $"{Code}: {Message}";
}
