using System.Security.Claims;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Api;

/// <summary>Who is calling, as the grains need it: the principal name and whether it holds the global admin role.</summary>
public readonly record struct Caller(string Principal, bool IsAdmin)
{
    public static Caller From(ClaimsPrincipal user) => new(user.Identity?.Name ?? "", user.IsInRole(Roles.Admin));
}
