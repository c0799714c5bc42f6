using System.Collections.Immutable;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary><see cref="CommandStatus.Created"/> for a new case, <see cref="CommandStatus.Ok"/> for an existing one, <see cref="CommandStatus.InvalidRequest"/> with <see cref="Errors"/>.</summary>
public sealed record StartCaseResult(CommandStatus Status, CaseStatus? CaseStatus, ImmutableArray<DefinitionError> Errors);
