namespace Ripcord.Contracts;

/// <summary>
/// How the registry releases a resource its agent did not free: <c>{ "type": "webhook", "url", "method" }</c>.
/// Type <c>none</c> means the registry cannot release it, so an unfreed resource ends orphaned.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.contracts.resource-release-action")]
public sealed record ResourceReleaseAction
{
    public const string WebhookType = "webhook";
    public const string NoneType = "none";

    [Id(0)]
    public string Type { get; init; } = WebhookType;

    [Id(1)]
    public string? Url { get; init; }

    /// <summary>HTTP method of the webhook. Default DELETE.</summary>
    [Id(2)]
    public string Method { get; init; } = "DELETE";

    /// <summary>The fault of this action, or null when it is usable.</summary>
    public string? Validate()
    {
        if (Type == NoneType)
        {
            return null;
        }

        if (Type != WebhookType)
        {
            return $"release.type must be \"{WebhookType}\" or \"{NoneType}\", not \"{Type}\"";
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"release.url must be an absolute http(s) URL, not \"{Url}\"";
        }

        if (string.IsNullOrEmpty(Method) || !Method.All(char.IsAsciiLetterUpper))
        {
            return $"release.method must be an upper-case HTTP method such as DELETE or POST, not \"{Method}\"";
        }

        return null;
    }
}
