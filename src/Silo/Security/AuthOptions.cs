namespace Ripcord.Silo.Security;

/// <summary>Authentication and write protection, bound from <c>Ripcord:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The accepted API keys. Default: none (every <c>/api</c> call is refused); Development configures some.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>When true the silo refuses every write from people (starting, cancelling, registering processes). Default false.</summary>
    public bool ReadOnly { get; set; }

    internal void Validate()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var entry = ApiKeys[i];
            if (string.IsNullOrWhiteSpace(entry.Key) || entry.Key.Length < 8)
            {
                throw new InvalidOperationException($"Ripcord:Auth:ApiKeys:{i}:Key must be at least 8 characters.");
            }

            if (string.IsNullOrWhiteSpace(entry.Principal))
            {
                throw new InvalidOperationException($"Ripcord:Auth:ApiKeys:{i}:Principal is required.");
            }

            foreach (var role in entry.Roles)
            {
                if (!Security.Roles.All.Contains(role))
                {
                    throw new InvalidOperationException($"Ripcord:Auth:ApiKeys:{i}:Roles has unknown role '{role}'; roles are {string.Join(", ", Security.Roles.All)}.");
                }
            }

            if (!seen.Add(entry.Key))
            {
                throw new InvalidOperationException($"Ripcord:Auth:ApiKeys:{i}:Key is configured twice.");
            }
        }
    }
}
