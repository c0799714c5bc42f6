using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>A process definition was refused; <see cref="Errors"/> names every fault.</summary>
public sealed class InvalidProcessDefinitionException : Exception
{
    public InvalidProcessDefinitionException(ImmutableArray<DefinitionError> errors)
        : base("Invalid process definition: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public ImmutableArray<DefinitionError> Errors { get; }
}
