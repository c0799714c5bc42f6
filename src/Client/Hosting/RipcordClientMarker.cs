namespace Ripcord.Client;

/// <summary>Marks a service collection where <c>AddRipcordClient</c> already ran.</summary>
internal sealed class RipcordClientMarker;
