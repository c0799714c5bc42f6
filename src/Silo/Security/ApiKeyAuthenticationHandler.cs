using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Ripcord.Silo.Api;

namespace Ripcord.Silo.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>. Keys are looked up by their SHA-256 digest, so the
/// lookup's timing says nothing about how much of a guessed key was right.
/// </summary>
/// <remarks>
/// Under <see cref="CookiePath"/> only (the Orleans dashboard, a page a browser opens with a plain navigation and so
/// cannot give a header), a request without an <c>Authorization</c> header may carry the key in the
/// <see cref="CookieName"/> cookie instead; the Ripcord dashboard sets it for admins when they log in. Every other path
/// ignores the cookie and stays Bearer-only.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The cookie the Ripcord dashboard keeps the API key in for the Orleans dashboard.</summary>
    public const string CookieName = "ripcord_api_key";

    /// <summary>The only path (and the paths below it) where <see cref="CookieName"/> is accepted.</summary>
    public static readonly PathString CookiePath = new("/orleans");

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(FromCookie());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'."));
        }

        return Task.FromResult(Authenticate(header.AsSpan(7).Trim()));
    }

    /// <summary>The key from the cookie (ASP.NET Core has already percent-decoded it), under <see cref="CookiePath"/> only.</summary>
    private AuthenticateResult FromCookie()
    {
        if (!IsUnderCookiePath(Request.Path) || !Request.Cookies.TryGetValue(CookieName, out var key) || string.IsNullOrWhiteSpace(key))
        {
            return AuthenticateResult.NoResult();
        }

        return Authenticate(key.AsSpan().Trim());
    }

    private AuthenticateResult Authenticate(ReadOnlySpan<char> key)
    {
        var principal = directory.Find(key);
        return principal is null
            ? AuthenticateResult.Fail("Unknown API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary><c>/orleans</c> and anything below it; not <c>/orleansx</c>.</summary>
    internal static bool IsUnderCookiePath(PathString path) => path.StartsWithSegments(CookiePath, StringComparison.OrdinalIgnoreCase);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, IsUnderCookiePath(Request.Path)
            ? $"A valid admin API key is required: log in to the Ripcord dashboard first (it sets the '{CookieName}' cookie), or send 'Authorization: Bearer <api key>'."
            : "A valid API key is required: send 'Authorization: Bearer <api key>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, IsUnderCookiePath(Request.Path)
            ? "The Orleans dashboard is for admins; this API key's roles do not allow it."
            : "This API key's roles do not allow this call.");
}
