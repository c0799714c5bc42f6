using Ripcord.Client.Models;

namespace Ripcord.Client;

public sealed partial class RipcordClient
{
    /// <summary>Asks the server who this client's API key belongs to and what it may do (<c>GET /api/v1/me</c>).</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The principal, its roles and whether the silo is read-only.</returns>
    /// <exception cref="UnauthenticatedException">The key is missing or unknown.</exception>
    public Task<CallerIdentity> GetIdentityAsync(CancellationToken cancellationToken = default) =>
        SendAsync<CallerIdentity>(HttpMethod.Get, "api/v1/me", body: null, cancellationToken);
}
