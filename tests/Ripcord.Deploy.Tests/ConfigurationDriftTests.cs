using System.Text.RegularExpressions;
using Ripcord.Deploy.Tests.Cluster;
using Ripcord.Deploy.Tests.Manifests;
using Ripcord.Silo.Hosting;

namespace Ripcord.Deploy.Tests;

/// <summary>The compose file, the Kubernetes manifests and cluster.sh set only configuration keys the silo reads.</summary>
public sealed partial class ConfigurationDriftTests
{
    [Fact]
    public void DeploymentFiles_EverySetting_IsAKeyTheSiloReads()
    {
        var settings = DeploymentSettings.FromRepository();

        var unknown = DeploymentSettings.Unknown(settings);

        Assert.True(unknown.Count == 0, "Settings the silo does not read (fix the manifest, or add the key to "
            + "src/Silo/Hosting/ConfigurationKeys.cs if the silo reads it now):\n  " + string.Join("\n  ", unknown));
    }

    [Fact]
    public void DeploymentFiles_BothTargets_SetTheStoreTheKeysAndTheDrainTime()
    {
        var settings = DeploymentSettings.FromRepository();

        foreach (var target in new[] { "deploy/compose/", "deploy/k8s/" })
        {
            var keys = settings.Where(s => s.File.StartsWith(target, StringComparison.Ordinal)).Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.Contains("Ripcord:Store:Kind", keys);
            Assert.Contains("Ripcord:Store:Postgres:ConnectionString", keys);
            Assert.Contains("Ripcord:SampleAgents:Enabled", keys);
            Assert.Contains("shutdownTimeoutSeconds", keys);
            Assert.Contains("http_ports", keys);

            // The Orleans cluster: shared ids, ports, and per silo its name and the address the others reach it at;
            // on Kubernetes these come from the pod, through Orleans' Kubernetes hosting.
            Assert.Contains("Ripcord:Cluster:SiloPort", keys);
            Assert.Contains("Ripcord:Cluster:GatewayPort", keys);
            string[] identity = target == "deploy/k8s/"
                ? ["Ripcord:Cluster:KubernetesHosting", "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID"]
                : ["Ripcord:Cluster:ClusterId", "Ripcord:Cluster:ServiceId", "Ripcord:Cluster:SiloName", "Ripcord:Cluster:AdvertisedAddress"];
            Assert.All(identity, key => Assert.Contains(key, keys));
            foreach (var role in new[] { "0", "1", "2", "3" })
            {
                Assert.Contains($"Ripcord:Auth:ApiKeys:{role}:Key", keys);
                Assert.Contains($"Ripcord:Auth:ApiKeys:{role}:Principal", keys);
                Assert.Contains($"Ripcord:Auth:ApiKeys:{role}:Roles:0", keys);
            }
        }
    }

    /// <summary>
    /// deploy/local/cluster.sh exports settings for every silo it starts: each is a key the silo reads, and they
    /// include what a cluster on one machine needs (a name and ports per silo, shared ids, the recovery period).
    /// </summary>
    [Fact]
    public void ClusterScript_EveryExportedSetting_IsAKeyTheSiloReads()
    {
        var script = File.ReadAllText(LocalCluster.Script).Replace("${k}", "0", StringComparison.Ordinal);

        var variables = ExportedVariable().Matches(script).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

        var unknown = variables.Where(v => !ConfigurationKeys.IsKnown(ConfigurationKeys.FromEnvironmentVariable(v))).ToList();
        Assert.True(unknown.Count == 0, "cluster.sh exports settings the silo does not read: " + string.Join(", ", unknown));
        foreach (var expected in new[]
        {
            "Ripcord__Store__Kind", "Ripcord__Store__Postgres__ConnectionString", "Ripcord__Cluster__ClusterId",
            "Ripcord__Cluster__ServiceId", "Ripcord__Cluster__SiloName", "Ripcord__Cluster__SiloPort",
            "Ripcord__Cluster__GatewayPort",
        })
        {
            Assert.Contains(expected, variables);
        }
    }

    [Fact]
    public void Kubernetes_EveryConfigMapAndSecret_IsTakenByTheSilo()
    {
        var result = DeploymentSettings.FromKubernetes(DeploymentSettings.KubernetesManifests().Select(f => (Path.GetFileName(f), File.ReadAllText(f))));

        Assert.Empty(result.Unreferenced);
    }

    [Theory]
    [InlineData("Ripcord__Store__Knd")]
    [InlineData("Ripcord__SampleAgent__Enabled")]
    [InlineData("HostOptions__ShutdownTimeout")]
    [InlineData("Ripcord__Auth__ApiKeys__0__Secret")]
    [InlineData("Ripcord__Cluster__SiloPrt")]
    [InlineData("Ripcord__Runtime__SiloId")]
    [InlineData("Ripcord__Store__Postgres__LeaseDuration")]
    public void Compose_MadeUpKey_IsReported(string variable)
    {
        var compose = $$"""
            services:
              db:
                image: postgres:17
                environment:
                  NOT_CHECKED: "1"
              silo:
                image: ${RIPCORD_SILO_IMAGE:-ripcord-silo:latest}
                environment:
                  Ripcord__Store__Kind: Postgres
                  {{variable}}: "x"
            """;

        var unknown = DeploymentSettings.Unknown(DeploymentSettings.FromCompose("compose.yaml", compose));

        var reported = Assert.Single(unknown);
        Assert.Equal(variable, reported.EnvironmentVariable);
    }

    [Fact]
    public void Compose_ListFormAndMergeKeys_AreRead()
    {
        const string compose = """
            x-silo: &silo
              image: ripcord-silo
              environment:
                - Ripcord__Store__Kind=Postgres
                - Ripcord__Stor__Kind=Postgres
            services:
              silo1:
                <<: *silo
            """;

        var settings = DeploymentSettings.FromCompose("compose.yaml", compose);

        Assert.Equal(["Ripcord__Store__Kind", "Ripcord__Stor__Kind"], settings.Select(s => s.EnvironmentVariable));
        Assert.Equal("Ripcord__Stor__Kind", Assert.Single(DeploymentSettings.Unknown(settings)).EnvironmentVariable);
    }

    [Fact]
    public void Compose_EnvFile_IsRefused()
    {
        const string compose = """
            services:
              silo:
                image: ripcord-silo
                env_file: silo.env
            """;

        var error = Assert.Throws<InvalidOperationException>(() => DeploymentSettings.FromCompose("compose.yaml", compose));

        Assert.Contains("env_file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_MadeUpKeysInConfigMapSecretAndEnv_AreReported()
    {
        const string manifests = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cfg
            data:
              Ripcord__Store__Kind: Postgres
              Ripcord__Store__Postgres__MaxPoolSze: "4"
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: keys
            stringData:
              Ripcord__Store__Postgres__ConnectionStrng: ""
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: silo
            spec:
              template:
                spec:
                  containers:
                    - name: silo
                      image: registry.example.com/ripcord-silo:1.0
                      env:
                        - name: Ripcord__Processes__Pth
                          value: /processes
                        - name: ASPNETCORE_URLS
                          value: http://+:8080
                      envFrom:
                        - configMapRef:
                            name: cfg
                        - secretRef:
                            name: keys
                          prefix: Ripcord__Auth__
            """;

        var result = DeploymentSettings.FromKubernetes([("all.yaml", manifests)]);
        var unknown = DeploymentSettings.Unknown(result.Settings).Select(s => s.EnvironmentVariable).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["Ripcord__Auth__Ripcord__Store__Postgres__ConnectionStrng", "Ripcord__Processes__Pth", "Ripcord__Store__Postgres__MaxPoolSze"],
            unknown);
        Assert.Empty(result.Unreferenced);
    }

    [Fact]
    public void Kubernetes_EnvFromAMissingConfigMap_IsRefused()
    {
        const string manifests = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: silo
            spec:
              template:
                spec:
                  containers:
                    - name: silo
                      image: ripcord-silo
                      envFrom:
                        - configMapRef:
                            name: elsewhere
            """;

        var error = Assert.Throws<InvalidOperationException>(() => DeploymentSettings.FromKubernetes([("d.yaml", manifests)]));

        Assert.Contains("elsewhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_ConfigMapNoSiloTakes_IsListed()
    {
        const string manifests = """
            kind: ConfigMap
            metadata:
              name: orphan
            data:
              Ripcord__Store__Kind: Postgres
            ---
            kind: Deployment
            metadata:
              name: silo
            spec:
              template:
                spec:
                  containers:
                    - name: silo
                      image: ripcord-silo
            """;

        var result = DeploymentSettings.FromKubernetes([("d.yaml", manifests)]);

        Assert.Equal(["ConfigMap orphan (d.yaml)"], result.Unreferenced);
    }

    // "export Ripcord__X=..." and "export Ripcord__X" after an assignment; quoted names too.
    [GeneratedRegex(@"\bexport\s+""?(Ripcord__[A-Za-z0-9_]+)")]
    private static partial Regex ExportedVariable();
}
