using System.Collections.Immutable;

namespace Ripcord.Contracts.Cases;

/// <summary><see cref="CommandStatus.Created"/> for a new case, <see cref="CommandStatus.Ok"/> for an existing one, <see cref="CommandStatus.InvalidRequest"/> with <see cref="Errors"/>.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.start-case-result")]
public sealed record StartCaseResult([property: Id(0)] CommandStatus Status, [property: Id(1)] CaseStatus? CaseStatus, [property: Id(2)] ImmutableArray<DefinitionError> Errors);
