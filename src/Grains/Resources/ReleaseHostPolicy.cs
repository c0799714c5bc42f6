namespace Ripcord.Grains.Resources;

/// <summary>
/// Whether a release webhook's URL names a host the operator allows (<see cref="ResourceOptions.AllowedReleaseHosts"/>):
/// checked when an agent registers the resource and again before each call, so a list narrowed later also stops
/// releases registered before.
/// </summary>
public sealed class ReleaseHostPolicy
{
    private readonly Entry[] _entries;

    /// <exception cref="ArgumentException">An entry is not a host, <c>host:port</c> or <c>*.domain</c>.</exception>
    public ReleaseHostPolicy(IEnumerable<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        _entries = [.. allowed.Select(a => Parse(a, out var fault) ?? throw new ArgumentException(fault, nameof(allowed)))];
    }

    /// <summary>True when <paramref name="url"/> is an absolute http(s) URL on an allowed host (and port).</summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        var host = url.IdnHost.Trim('[', ']');
        foreach (var entry in _entries)
        {
            var hostMatches = entry.Subdomains
                ? host.EndsWith("." + entry.Host, StringComparison.OrdinalIgnoreCase)
                : string.Equals(host, entry.Host, StringComparison.OrdinalIgnoreCase);
            if (hostMatches && (entry.Port is null || entry.Port == url.Port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fault of one configured entry, or null when it is usable.</summary>
    public static string? Fault(string entry)
    {
        Parse(entry, out var fault);
        return fault;
    }

    private static Entry? Parse(string text, out string? fault)
    {
        fault = null;
        var value = text?.Trim() ?? "";
        var subdomains = value.StartsWith("*.", StringComparison.Ordinal);
        var rest = subdomains ? value[2..] : value;

        // host, host:port, [v6], [v6]:port; Uri does the parsing (and IDN) once, on a made-up http URL.
        if (rest.Length == 0 || rest.Contains('/', StringComparison.Ordinal) || rest.Contains('@', StringComparison.Ordinal) || rest.Contains('*', StringComparison.Ordinal)
            || !Uri.TryCreate("http://" + rest, UriKind.Absolute, out var parsed) || parsed.PathAndQuery != "/")
        {
            fault = $"'{text}' is not a host, host:port or *.domain";
            return null;
        }

        var hasPort = !parsed.IsDefaultPort || rest.EndsWith(":80", StringComparison.Ordinal);
        if (subdomains && parsed.HostNameType != UriHostNameType.Dns)
        {
            fault = $"'{text}': *. takes a domain name, not an address";
            return null;
        }

        return new Entry(parsed.IdnHost.Trim('[', ']'), hasPort ? parsed.Port : null, subdomains);
    }

    private sealed record Entry(string Host, int? Port, bool Subdomains);
}
