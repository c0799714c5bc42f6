namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the query parameter <see cref="Name"/>, bound as a string so the handler can answer a bad
/// value with its own 400, takes the values of <see cref="Type"/> (an enum, by its API names).
/// </summary>
public sealed record QueryParameterType(string Name, Type Type);
