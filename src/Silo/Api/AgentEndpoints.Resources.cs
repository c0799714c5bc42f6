using Ripcord.Contracts;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains;
using Ripcord.Grains.Outbox;

namespace Ripcord.Silo.Api;

public static partial class AgentEndpoints
{
    /// <summary>
    /// Registers a resource; a webhook release must name a host the operator allows
    /// (<c>Ripcord:Resources:AllowedReleaseHosts</c>), or the registration is refused with
    /// <see cref="ProblemCodes.ReleaseHostNotAllowed"/> and nothing is registered.
    /// </summary>
    private static Task<IResult> RegisterResourceAsync(string caseId, string taskId, HttpRequest request, GrainReferences grains, WebhookHosts hosts, CancellationToken cancellationToken) =>
        TaskCommandAsync<RegisterResourceRequest>(
            caseId,
            taskId,
            request,
            grains,
            b => new RegisterResource { LeaseToken = b.LeaseToken, ResourceId = b.ResourceId, Kind = b.Kind, Release = b.Release },
            cancellationToken,
            b => Validation.Id("resourceId", b.ResourceId) ?? b.Release?.Validate(),
            b => RefuseHost(b.Release, hosts.Releases));

    private static IResult? RefuseHost(ResourceReleaseAction? release, HostAllowList releaseHosts) =>
        release is { Type: ResourceReleaseAction.WebhookType, Url: { } text } && new Uri(text) is var url && !releaseHosts.Allows(url)
            ? Problems.Result(
                StatusCodes.Status400BadRequest,
                ProblemCodes.ReleaseHostNotAllowed,
                $"release.url names host '{url.Authority}', which is not in Ripcord:Resources:AllowedReleaseHosts; the silo calls release webhooks only on hosts its operator allows")
            : null;
}
