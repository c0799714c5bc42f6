namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Endpoint metadata: an example of the request body (<see cref="Status"/> null) or of the response with that status,
/// a value of the body's own type, written with the API's JSON conventions so it always matches the schema.
/// </summary>
public sealed record OpenApiExample(int? Status, object Value);
