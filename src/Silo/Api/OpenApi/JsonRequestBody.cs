namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the handler reads its JSON body of <see cref="Type"/> itself (<see cref="JsonBody"/>, for the
/// API's own 400s), so nothing binds it; the API description lists it. Unlike <c>Accepts</c>, it does not take part
/// in routing: a request with another or no content type still reaches the handler and its problem codes.
/// </summary>
public sealed record JsonRequestBody(Type Type, bool Required);
