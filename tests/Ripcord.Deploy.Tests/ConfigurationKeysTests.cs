using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ripcord.Grains.Durability;
using Ripcord.Grains.Storage.Postgres;
using Ripcord.Silo.Api;
using Ripcord.Silo.Hosting;
using Ripcord.Silo.SampleAgents;
using Ripcord.Silo.Security;

namespace Ripcord.Deploy.Tests;

public sealed class ConfigurationKeysTests
{
    [Theory]
    [InlineData("Ripcord__Store__Kind", "Ripcord:Store:Kind")]
    [InlineData("Ripcord__Auth__ApiKeys__0__Roles__1", "Ripcord:Auth:ApiKeys:0:Roles:1")]
    [InlineData("ASPNETCORE_URLS", "URLS")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "HTTP_PORTS")]
    [InlineData("DOTNET_shutdownTimeoutSeconds", "shutdownTimeoutSeconds")]
    [InlineData("Logging__LogLevel__Default", "Logging:LogLevel:Default")]
    public void FromEnvironmentVariable_MapsAsTheHostDoes(string variable, string key)
    {
        Assert.Equal(key, ConfigurationKeys.FromEnvironmentVariable(variable));
    }

    [Theory]
    [InlineData("Ripcord:Store:Kind", true)]
    [InlineData("ripcord:store:kind", true)]
    [InlineData("Ripcord:Auth:ApiKeys:12:Key", true)]
    [InlineData("Ripcord:Auth:ApiKeys:0:Roles:3", true)]
    [InlineData("URLS", true)]
    [InlineData("shutdownTimeoutSeconds", true)]
    [InlineData("Ripcord:Store", false)]
    [InlineData("Ripcord:Store:Kind:Extra", false)]
    [InlineData("Ripcord:Auth:ApiKeys::Key", false)]
    [InlineData("Ripcord:Auth:ApiKeys:0:Secret", false)]
    [InlineData("HostOptions:ShutdownTimeout", false)]
    [InlineData("Ripcord:MadeUp", false)]
    public void IsKnown_MatchesPatternsSegmentBySegment(string key, bool known)
    {
        Assert.Equal(known, ConfigurationKeys.IsKnown(key));
    }

    [Fact]
    public void All_HasNoDuplicates()
    {
        var duplicates = ConfigurationKeys.All.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
    }

    /// <summary>
    /// Every bindable property of the options classes the silo binds is in the list: a new option is a key the
    /// deployment files may set, so the list must learn it (src/Silo/Hosting/ConfigurationKeys.cs).
    /// </summary>
    [Fact]
    public void All_CoversEveryOptionTheSiloBinds()
    {
        var missing = RipcordKeysTheSiloReads().Where(k => !ConfigurationKeys.IsKnown(k)).ToList();

        Assert.True(missing.Count == 0, "Options the silo binds but ConfigurationKeys.All lacks: " + string.Join(", ", missing));
    }

    /// <summary>
    /// The other way round: every <c>Ripcord:</c> key of the list is one the silo binds or reads, so a key the silo
    /// stopped reading (the runtime's <c>Ripcord:Runtime:*</c>, the store's lease settings) leaves the list, and a
    /// manifest still setting it fails <see cref="ConfigurationDriftTests"/>.
    /// </summary>
    [Fact]
    public void All_HasNoRipcordKeyTheSiloDoesNotRead()
    {
        var read = RipcordKeysTheSiloReads().ToList();

        var stale = ConfigurationKeys.All
            .Where(k => k.StartsWith("Ripcord:", StringComparison.Ordinal))
            .Where(pattern => !read.Any(key => Matches(pattern, key)))
            .ToList();

        Assert.True(stale.Count == 0, "ConfigurationKeys.All lists keys no options class of the silo has: " + string.Join(", ", stale));
    }

    [Theory]
    [InlineData("Ripcord:Runtime:SiloId")]
    [InlineData("Ripcord:Runtime:PollInterval")]
    [InlineData("Ripcord:Runtime:MaxDegreeOfParallelism")]
    [InlineData("Ripcord:Store:Postgres:HeartbeatInterval")]
    [InlineData("Ripcord:Store:Postgres:LeaseDuration")]
    [InlineData("Ripcord:Cluster:RecoveryPeriod")]
    public void IsKnown_KeysTheSiloNoLongerReads_AreUnknown(string key)
    {
        Assert.False(ConfigurationKeys.IsKnown(key));
    }

    [Fact]
    public void DurabilitySection_SetsTheRecoveryPeriodAndOrleansMinimumReminderPeriod()
    {
        var app = SiloHost.Build([], settings: new Dictionary<string, string?>
        {
            ["Ripcord:Durability:RecoveryPeriod"] = "00:00:07",
            ["Ripcord:Durability:FirstRetryDelay"] = "00:00:00.250",
        });

        var durability = app.Services.GetRequiredService<IOptions<DurabilityOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), durability.RecoveryPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(250), durability.FirstRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<Orleans.Hosting.ReminderOptions>>().Value.MinimumReminderPeriod);
    }

    [Fact]
    public void ShutdownTimeoutSeconds_OnTheCommandLine_SetsTheHostShutdownTimeout()
    {
        var app = SiloHost.Build(["--shutdownTimeoutSeconds=47"]);

        Assert.Equal(TimeSpan.FromSeconds(47), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    /// <summary>
    /// The <c>Ripcord:</c> keys the silo reads: the bindable properties of the options classes it binds (with one
    /// index standing for every index of a list), and the keys it reads one by one.
    /// </summary>
    private static IEnumerable<string> RipcordKeysTheSiloReads()
    {
        var keys = new List<string>
        {
            // Read directly from configuration (SiloBuilderExtensions, SiloStartup).
            "Ripcord:Store:Kind",
            "Ripcord:Processes:Path",
            "Ripcord:Auth:ApiKeys:0:Roles:0",
            "Ripcord:Resources:AllowedReleaseHosts:0",
            "Ripcord:Agents:AllowedKillHookHosts:0",
        };
        keys.AddRange(OptionKeys(typeof(ClusterSettings), "Ripcord:Cluster"));
        keys.AddRange(OptionKeys(typeof(PostgresStoreOptions), "Ripcord:Store:Postgres"));
        keys.AddRange(OptionKeys(typeof(DurabilityOptions), "Ripcord:Durability"));
        keys.AddRange(OptionKeys(typeof(ApiOptions), "Ripcord:Api"));
        keys.AddRange(OptionKeys(typeof(AuthOptions), "Ripcord:Auth"));
        keys.AddRange(OptionKeys(typeof(ApiKeyEntry), "Ripcord:Auth:ApiKeys:0"));
        keys.AddRange(OptionKeys(typeof(SampleAgentsOptions), SampleAgentsOptions.Section));
        return keys;
    }

    private static bool Matches(string pattern, string key)
    {
        var p = pattern.Split(':');
        var k = key.Split(':');
        return p.Length == k.Length && p.Zip(k).All(s => s.First == "*" || string.Equals(s.First, s.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The keys binding would read for <paramref name="options"/>: its settable scalars, and those of nested option objects.</summary>
    private static IEnumerable<string> OptionKeys(Type options, string section)
    {
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{section}:{property.Name}";
            if (IsScalar(property.PropertyType))
            {
                yield return key;
            }
            else if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("Ripcord", StringComparison.Ordinal) == true)
            {
                foreach (var nested in OptionKeys(property.PropertyType, key))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }
}
