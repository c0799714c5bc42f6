namespace Ripcord.Silo.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the endpoint answers <c>200 text/event-stream</c>, one event named <see cref="EventName"/>
/// per item, whose <c>data:</c> is the JSON of <see cref="DataType"/>.
/// </summary>
public sealed record ServerSentEventsResponse(string EventName, Type DataType);
