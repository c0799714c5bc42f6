namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the endpoint can answer <see cref="Status"/> with a problem-details body whose <c>code</c> is
/// one of <see cref="Codes"/>. Several for one status add up; the OpenAPI document lists them per operation.
/// </summary>
public sealed record ProblemResponse(int Status, IReadOnlyList<string> Codes);
