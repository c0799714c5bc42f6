using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ripcord.Runtime;
using Ripcord.Silo.Api;
using Ripcord.Silo.Hosting;
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
        var expected = new List<string>();
        expected.AddRange(OptionKeys(typeof(RuntimeOptions), "Ripcord:Runtime"));
        expected.AddRange(OptionKeys(typeof(ApiOptions), "Ripcord:Api"));
        expected.AddRange(OptionKeys(typeof(AuthOptions), "Ripcord:Auth"));
        expected.AddRange(OptionKeys(typeof(ApiKeyEntry), "Ripcord:Auth:ApiKeys:0"));
        expected.Add("Ripcord:Auth:ApiKeys:0:Roles:0");

        // Options of parts that may not be merged yet: the PostgreSQL store, the sample agents.
        var postgres = typeof(RuntimeOptions).Assembly.GetType("Ripcord.Runtime.Storage.Postgres.PostgresStoreOptions");
        if (postgres is not null)
        {
            expected.AddRange(OptionKeys(postgres, "Ripcord:Store:Postgres"));
        }

        var samples = typeof(ConfigurationKeys).Assembly.GetType("Ripcord.Silo.SampleAgents.SampleAgentsOptions");
        if (samples is not null)
        {
            expected.AddRange(OptionKeys(samples, "Ripcord:SampleAgents"));
        }

        var missing = expected.Where(k => !ConfigurationKeys.IsKnown(k)).ToList();

        Assert.True(missing.Count == 0, "Options the silo binds but ConfigurationKeys.All lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void ShutdownTimeoutSeconds_OnTheCommandLine_SetsTheHostShutdownTimeout()
    {
        var app = SiloHost.Build(["--shutdownTimeoutSeconds=47"]);

        Assert.Equal(TimeSpan.FromSeconds(47), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
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
