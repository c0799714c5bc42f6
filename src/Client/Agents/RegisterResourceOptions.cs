using Ripcord.Client.Models;

namespace Ripcord.Client.Agents;

/// <summary>A resource to register in the case's registry (<see cref="AgentContext.RegisterResourceAsync"/>).</summary>
public sealed class RegisterResourceOptions
{
    /// <summary>The resource's id, unique within the case. Required.</summary>
    public string ResourceId { get; set; } = string.Empty;

    /// <summary>A free-form kind shown to operators, e.g. <c>vm</c>. Required.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>How the registry frees the resource if the agent does not (on a cancel path, when fenced, or when the case ends). Required.</summary>
    public ResourceRelease? Release { get; set; }
}
