namespace Ripcord.Contracts;

/// <summary>One fault of a process definition: a stable <see cref="Code"/>, a message naming the fault, and the node at fault if any.</summary>
[GenerateSerializer]
[Alias("ripcord.definitions.definition-error")]
public sealed record DefinitionError([property: Id(0)] string Code, [property: Id(1)] string Message, [property: Id(2)] string? NodeId = null)
{
    public override string ToString() => $"{Code}: {Message}";
}
