using System.Collections.Frozen;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ripcord.Silo.Security;

/// <summary>The configured keys, indexed by digest.</summary>
public sealed class ApiKeyDirectory
{
    private readonly FrozenDictionary<string, ClaimsPrincipal> _byDigest;

    public ApiKeyDirectory(IOptions<AuthOptions> options)
    {
        options.Value.Validate();
        _byDigest = options.Value.ApiKeys.ToFrozenDictionary(
            e => Digest(e.Key),
            e => new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, e.Principal), .. e.Roles.Select(r => new Claim(ClaimTypes.Role, r))],
                ApiKeyAuthenticationHandler.SchemeName,
                ClaimTypes.Name,
                ClaimTypes.Role)),
            StringComparer.Ordinal);
    }

    public int Count => _byDigest.Count;

    public ClaimsPrincipal? Find(ReadOnlySpan<char> key) =>
        key.IsEmpty ? null : _byDigest.GetValueOrDefault(Digest(key));

    private static string Digest(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(key.Length, 512))];
        var length = Encoding.UTF8.GetBytes(key[..Math.Min(key.Length, 512)], utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexString(hash);
    }
}
