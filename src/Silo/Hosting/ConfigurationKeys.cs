namespace Ripcord.Silo.Hosting;

/// <summary>
/// Every configuration key the silo reads, in configuration form (sections joined by <c>:</c>). A <c>*</c> segment
/// stands for any one segment (an array index such as the <c>0</c> of <c>Ripcord:Auth:ApiKeys:0:Key</c>, or a
/// name). The deployment files (deploy/compose, deploy/k8s) are checked against this list, so a key the silo stops
/// reading, or one a manifest misspells, fails a test instead of being ignored in production. Keep it in step with
/// the options classes and docs/deploy.md.
/// </summary>
public static class ConfigurationKeys
{
    public static readonly string[] All =
    [
        // Store (API.md, Operations) and the PostgreSQL store's options (Grains.Storage.Postgres.PostgresStoreOptions).
        "Ripcord:Store:Kind",
        "Ripcord:Store:Postgres:ConnectionString",
        "Ripcord:Store:Postgres:SchemaName",
        "Ripcord:Store:Postgres:MaxPoolSize",
        "Ripcord:Store:Postgres:NotificationsEnabled",
        "Ripcord:Store:Postgres:ListenReconnectDelayMax",
        "Ripcord:Store:Postgres:ApplyMigrations",
        "Ripcord:Store:Postgres:MaxAutoPrepare",

        // Sample agents and process definitions.
        "Ripcord:SampleAgents:Enabled",
        "Ripcord:SampleAgents:ServerUrl",
        "Ripcord:SampleAgents:ApiKey",
        "Ripcord:SampleAgents:*:Seconds",
        "Ripcord:SampleAgents:FinancialModeler:IgnoreCancel",
        "Ripcord:Processes:Path",

        // Authentication (Security.AuthOptions).
        "Ripcord:Auth:ApiKeys:*:Key",
        "Ripcord:Auth:ApiKeys:*:Principal",
        "Ripcord:Auth:ApiKeys:*:Roles:*",
        "Ripcord:Auth:ReadOnly",

        // HTTP API limits (Api.ApiOptions).
        "Ripcord:Api:MaxRequestBodyBytes",
        "Ripcord:Api:MaxCheckpointBytes",

        // Resource releases (Grains.Resources.ResourceOptions).
        "Ripcord:Resources:AllowedReleaseHosts:*",

        // Kill hooks (Grains.Agents.KillHookOptions).
        "Ripcord:Agents:AllowedKillHookHosts:*",

        // Orleans cluster (Hosting.ClusterSettings) and the durability protocol (Grains.Durability.DurabilityOptions).
        "Ripcord:Cluster:ClusterId",
        "Ripcord:Cluster:ServiceId",
        "Ripcord:Cluster:SiloName",
        "Ripcord:Cluster:SiloPort",
        "Ripcord:Cluster:GatewayPort",
        "Ripcord:Cluster:AdvertisedAddress",
        "Ripcord:Cluster:ProbeTimeout",
        "Ripcord:Cluster:MissedProbesLimit",
        "Ripcord:Cluster:KubernetesHosting",

        // Read by Orleans' Kubernetes hosting (Ripcord:Cluster:KubernetesHosting) straight from the environment.
        "POD_NAME",
        "POD_NAMESPACE",
        "POD_IP",
        "ORLEANS_CLUSTER_ID",
        "ORLEANS_SERVICE_ID",
        "Ripcord:Durability:RecoveryPeriod",
        "Ripcord:Durability:FirstRetryDelay",
        "Ripcord:Durability:MaxRetryDelay",
        "Ripcord:Durability:CompactionDelay",

        // ASP.NET Core and the generic host. ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS and ASPNETCORE_ENVIRONMENT
        // arrive as urls, http_ports and environment; DOTNET_shutdownTimeoutSeconds as shutdownTimeoutSeconds,
        // which sets HostOptions.ShutdownTimeout (whole seconds): the time the silo gets to drain on SIGTERM.
        "urls",
        "http_ports",
        "https_ports",
        "environment",
        "shutdownTimeoutSeconds",
        "AllowedHosts",
        "Logging:LogLevel:*",
        "Logging:Console:FormatterName",
    ];

    private static readonly string[] _environmentPrefixes = ["ASPNETCORE_", "DOTNET_"];

    /// <summary>
    /// The configuration key an environment variable sets, as the silo's host reads it: the <c>ASPNETCORE_</c> or
    /// <c>DOTNET_</c> prefix dropped, <c>__</c> turned into <c>:</c>.
    /// </summary>
    public static string FromEnvironmentVariable(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var prefix in _environmentPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
            {
                name = name[prefix.Length..];
                break;
            }
        }

        return name.Replace("__", ":", StringComparison.Ordinal);
    }

    /// <summary>Whether the silo reads <paramref name="key"/> (case-insensitive, as configuration is).</summary>
    public static bool IsKnown(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var segments = key.Split(':');
        foreach (var pattern in All)
        {
            if (Matches(pattern.Split(':'), segments))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(string[] pattern, string[] segments)
    {
        if (pattern.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (segments[i].Length == 0)
            {
                return false;
            }

            if (pattern[i] != "*" && !string.Equals(pattern[i], segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
