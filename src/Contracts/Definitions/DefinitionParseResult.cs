using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Ripcord.Contracts;

/// <summary>The outcome of parsing a definition: the definition when valid, otherwise every fault found.</summary>
public sealed record DefinitionParseResult(ProcessDefinition? Definition, ImmutableArray<DefinitionError> Errors)
{
    [MemberNotNullWhen(true, nameof(Definition))]
    public bool IsValid => Definition is not null && Errors.IsEmpty;

    public ProcessDefinition GetOrThrow() => IsValid ? Definition : throw new InvalidProcessDefinitionException(Errors);
}
