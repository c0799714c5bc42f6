namespace Ripcord.Grains.Outbox;

/// <summary>
/// The hosts an operator allows the silo to call on an agent's word (a release webhook, a kill hook): each entry a
/// host name or IP address, with <c>:port</c> for that port only, or <c>*.example.com</c> for the subdomains of a
/// domain. Checked when the agent hands the URL over and again before each call, so a list narrowed later also
/// stops calls to URLs accepted before. See <see cref="WebhookHosts"/>.
/// </summary>
public sealed class HostAllowList
{
    private readonly Entry[] _entries;

    /// <exception cref="ArgumentException">An entry is not a host, <c>host:port</c> or <c>*.domain</c>.</exception>
    public HostAllowList(IEnumerable<string> allowed)
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

    /// <summary>Each unusable entry, named by its configuration key (<paramref name="key"/>:index) and its fault.</summary>
    public static IEnumerable<string> Faults(IEnumerable<string> entries, string key)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var i = 0;
        foreach (var entry in entries)
        {
            if (Parse(entry, out var fault) is null)
            {
                yield return $"{key}:{i} {fault}";
            }

            i++;
        }
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
