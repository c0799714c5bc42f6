using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ripcord.Silo.Api.OpenApi;

/// <summary>Adds to each operation's description which roles its authorization policy admits (docs/api.md "Roles").</summary>
internal sealed class RolesTransformer(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        foreach (var name in context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct())
        {
            var policy = await policies.GetPolicyAsync(name) ?? throw new InvalidOperationException($"No authorization policy '{name}'.");
            roles.AddRange(policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
        }

        var keys = roles.Count == 0 ? "Any API key." : $"API keys with the role {string.Join(", ", roles.Distinct(StringComparer.Ordinal))}.";
        operation.Description = operation.Description is { Length: > 0 } described ? $"{described} {keys}" : keys;
    }
}
