namespace Ripcord.Silo.Api.OpenApi;

/// <summary>Declares what the OpenAPI document cannot infer from a handler: its problems, event streams and examples.</summary>
public static class OpenApiMetadataExtensions
{
    /// <summary>The handler reads a JSON body of <typeparamref name="TBody"/> itself; <paramref name="optional"/> when it may be left out.</summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder builder, bool optional = false) =>
        builder.WithMetadata(new JsonRequestBody(typeof(TBody), !optional));

    /// <summary>The query parameter <paramref name="name"/>, bound as a string, takes the values of <typeparamref name="TValue"/>.</summary>
    public static RouteHandlerBuilder WithQueryParameterType<TValue>(this RouteHandlerBuilder builder, string name) =>
        builder.WithMetadata(new QueryParameterType(name, typeof(TValue)));

    /// <summary>The endpoint can answer <paramref name="status"/> with a problem carrying one of <paramref name="codes"/>.</summary>
    public static TBuilder ProducesProblemCodes<TBuilder>(this TBuilder builder, int status, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemResponse(status, codes));

    /// <summary>The endpoint streams server-sent events named <paramref name="eventName"/> with <typeparamref name="TData"/> as data.</summary>
    public static RouteHandlerBuilder ProducesServerSentEvents<TData>(this RouteHandlerBuilder builder, string eventName) =>
        builder.WithMetadata(new ServerSentEventsResponse(eventName, typeof(TData)));

    /// <summary>An example request body, of the type the endpoint accepts.</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object value)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiExample(null, value));

    /// <summary>An example body of the response with <paramref name="status"/>, of the type the endpoint declares for it.</summary>
    public static TBuilder WithResponseExample<TBuilder>(this TBuilder builder, int status, object value)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiExample(status, value));
}
