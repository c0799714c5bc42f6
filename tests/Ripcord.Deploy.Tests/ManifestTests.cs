using System.Globalization;
using Ripcord.Deploy.Tests.Cluster;
using Ripcord.Deploy.Tests.Manifests;
using Ripcord.Deploy.Tests.Yaml;

namespace Ripcord.Deploy.Tests;

/// <summary>The shape of the compose file and the Kubernetes manifests: probes, drain time, selectors, secrets.</summary>
public sealed class ManifestTests
{
    private static readonly Lazy<Dictionary<string, object?>> _resources = new(LoadKubernetes);

    [Fact]
    public void Deployment_RunsThreeSilosWithReadinessOnReadyzAndLivenessOnHealthz()
    {
        var deployment = Resource("Deployment", "ripcord-silo");
        var container = SiloContainer();

        Assert.Equal("3", YamlDocuments.Scalar(deployment, "spec.replicas"));
        Assert.Equal("/readyz", YamlDocuments.Scalar(container, "readinessProbe.httpGet.path"));
        Assert.Equal("/healthz", YamlDocuments.Scalar(container, "livenessProbe.httpGet.path"));
        Assert.Equal("http", YamlDocuments.Scalar(container, "readinessProbe.httpGet.port"));
        Assert.Equal("8080", ContainerPort("http"));
        Assert.Equal("8080", ConfigMapValue("ASPNETCORE_HTTP_PORTS"));
    }

    [Fact]
    public void Deployment_OrleansPorts_AreTheContainerPortsTheConfigMapNames()
    {
        var names = YamlDocuments.List(SiloContainer(), "ports").Select(p => YamlDocuments.Scalar(p, "name")).Order(StringComparer.Ordinal);

        Assert.Equal(["gateway", "http", "silo"], names);
        Assert.Equal(ConfigMapValue("Ripcord__Cluster__SiloPort"), ContainerPort("silo"));
        Assert.Equal(ConfigMapValue("Ripcord__Cluster__GatewayPort"), ContainerPort("gateway"));
        Assert.Equal(3, new[] { ContainerPort("http"), ContainerPort("silo"), ContainerPort("gateway") }.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// Orleans' Kubernetes hosting: each pod advertises its own IP, is named after itself, and takes the cluster and
    /// service ids from its labels (downward API), so the labels Orleans selects the silo pods by are the ids.
    /// </summary>
    [Fact]
    public void Deployment_SiloIdentity_ComesFromThePodAndItsLabels()
    {
        var env = YamlDocuments.List(SiloContainer(), "env").ToDictionary(e => YamlDocuments.Scalar(e, "name")!, StringComparer.Ordinal);
        var podLabels = YamlDocuments.Map(Resource("Deployment", "ripcord-silo"), "spec.template.metadata.labels")!;

        Assert.Equal("true", ConfigMapValue("Ripcord__Cluster__KubernetesHosting"));
        Assert.Equal("metadata.name", FieldPath(env["POD_NAME"]));
        Assert.Equal("metadata.namespace", FieldPath(env["POD_NAMESPACE"]));
        Assert.Equal("status.podIP", FieldPath(env["POD_IP"]));
        Assert.Equal("metadata.labels['orleans/clusterId']", FieldPath(env["ORLEANS_CLUSTER_ID"]));
        Assert.Equal("metadata.labels['orleans/serviceId']", FieldPath(env["ORLEANS_SERVICE_ID"]));
        Assert.False(string.IsNullOrWhiteSpace(podLabels["orleans/clusterId"] as string));
        Assert.False(string.IsNullOrWhiteSpace(podLabels["orleans/serviceId"] as string));

        // One source each: nothing else names the silo, its address or the ids.
        var configMap = YamlDocuments.Map(Resource("ConfigMap", "ripcord-silo-config"), "data")!;
        foreach (var key in new[] { "Ripcord__Cluster__AdvertisedAddress", "Ripcord__Cluster__SiloName", "Ripcord__Cluster__ClusterId", "Ripcord__Cluster__ServiceId" })
        {
            Assert.DoesNotContain(key, configMap.Keys);
            Assert.DoesNotContain(key, env.Keys);
        }

        static string? FieldPath(object? variable) => YamlDocuments.Scalar(variable, "valueFrom.fieldRef.fieldPath");
    }

    /// <summary>The pods run as a service account that may read and watch the namespace's pods, and nothing more.</summary>
    [Fact]
    public void ServiceAccount_MayOnlyReadPods()
    {
        var podSpec = YamlDocuments.Map(Resource("Deployment", "ripcord-silo"), "spec.template.spec");
        var binding = Resource("RoleBinding", "ripcord-silo");
        var rule = Assert.Single(YamlDocuments.List(Resource("Role", "ripcord-silo"), "rules"));

        Assert.Equal("ripcord-silo", YamlDocuments.Scalar(podSpec, "serviceAccountName"));
        Assert.Equal("true", YamlDocuments.Scalar(podSpec, "automountServiceAccountToken"));
        Assert.NotNull(Resource("ServiceAccount", "ripcord-silo"));
        Assert.Equal(("Role", "ripcord-silo"), (YamlDocuments.Scalar(binding, "roleRef.kind"), YamlDocuments.Scalar(binding, "roleRef.name")));
        Assert.Equal("ripcord-silo", YamlDocuments.Scalar(Assert.Single(YamlDocuments.List(binding, "subjects")), "name"));
        Assert.Equal(["pods"], YamlDocuments.List(rule, "resources").OfType<string>());
        Assert.Equal(["get", "list", "watch"], YamlDocuments.List(rule, "verbs").OfType<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deployment_GracePeriod_CoversThePreStopPauseAndTheSilosDrain()
    {
        var podSpec = YamlDocuments.Map(Resource("Deployment", "ripcord-silo"), "spec.template.spec");
        var grace = int.Parse(YamlDocuments.Scalar(podSpec, "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);
        var preStop = int.Parse(YamlDocuments.Scalar(SiloContainer(), "lifecycle.preStop.sleep.seconds") ?? "0", CultureInfo.InvariantCulture);
        var drain = int.Parse(ConfigMapValue("DOTNET_shutdownTimeoutSeconds"), CultureInfo.InvariantCulture);

        Assert.True(drain >= 30, $"the silo should get at least 30 s to drain, not {drain}");
        Assert.True(grace >= preStop + drain + 5, $"terminationGracePeriodSeconds {grace} must exceed preStop {preStop} s + drain {drain} s by a margin");
    }

    [Fact]
    public void ServiceAndDisruptionBudget_SelectTheSiloPods()
    {
        var podLabels = YamlDocuments.Map(Resource("Deployment", "ripcord-silo"), "spec.template.metadata.labels")!;
        var deploymentSelector = YamlDocuments.Map(Resource("Deployment", "ripcord-silo"), "spec.selector.matchLabels")!;
        var serviceSelector = YamlDocuments.Map(Resource("Service", "ripcord-silo"), "spec.selector")!;
        var budgetSelector = YamlDocuments.Map(Resource("PodDisruptionBudget", "ripcord-silo"), "spec.selector.matchLabels")!;

        foreach (var selector in new[] { deploymentSelector, serviceSelector, budgetSelector })
        {
            Assert.NotEmpty(selector);
            Assert.All(selector, s => Assert.Equal(s.Value, podLabels.GetValueOrDefault(s.Key)));
        }

        // HTTP only: silos reach each other (and cluster clients the gateways) pod to pod, at the advertised addresses.
        var servicePort = Assert.Single(YamlDocuments.List(Resource("Service", "ripcord-silo"), "spec.ports"));
        Assert.Equal("http", YamlDocuments.Scalar(servicePort, "targetPort"));
        Assert.Equal("1", YamlDocuments.Scalar(Resource("PodDisruptionBudget", "ripcord-silo"), "spec.maxUnavailable"));
    }

    [Fact]
    public void Secret_ShipsNoUsableValue()
    {
        var secret = Resource("Secret", "ripcord-silo-secrets");
        var values = YamlDocuments.Map(secret, "stringData")!;

        Assert.Contains("Ripcord__Store__Postgres__ConnectionString", values.Keys);
        Assert.All(values, v => Assert.True(string.IsNullOrEmpty(v.Value as string), $"{v.Key} must stay empty in the repository"));
        Assert.Null(YamlDocuments.Map(secret, "data"));
    }

    [Fact]
    public void Kustomization_ListsEveryManifestInTheFolder()
    {
        var kustomization = YamlDocuments.ParseSingle(File.ReadAllText(Path.Combine(DeploymentSettings.KubernetesFolder, "kustomization.yaml")));
        var listed = YamlDocuments.List(kustomization, "resources").OfType<string>().Order(StringComparer.Ordinal);
        var files = DeploymentSettings.KubernetesManifests().Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(files, listed);
    }

    [SkippableFact]
    public async Task Kustomize_Renders()
    {
        Skip.IfNot(ProcessRunner.OnPath("kubectl"), "kubectl is not installed");

        var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", DeploymentSettings.KubernetesFolder], timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Error);
        var rendered = YamlDocuments.Parse(result.Output);
        Assert.Equal(
            ["ConfigMap", "Deployment", "Namespace", "PodDisruptionBudget", "Role", "RoleBinding", "Secret", "Service", "ServiceAccount"],
            rendered.Select(d => YamlDocuments.Scalar(d, "kind")!).Order(StringComparer.Ordinal));
        Assert.All(
            rendered.Where(d => YamlDocuments.Scalar(d, "kind") != "Namespace"),
            d => Assert.Equal("ripcord", YamlDocuments.Scalar(d, "metadata.namespace")));
    }

    [Fact]
    public void ProductionOverlay_SecretsExample_HasEveryKeyOfTheBaseSecret()
    {
        var example = DeploymentSettings.FromEnvFile("secrets.env.example", File.ReadAllText(ProductionSecretsExample)).Select(s => s.EnvironmentVariable).Order(StringComparer.Ordinal);
        var secret = YamlDocuments.Map(Resource("Secret", "ripcord-silo-secrets"), "stringData")!.Keys.Order(StringComparer.Ordinal);

        Assert.Equal(secret, example);
    }

    [SkippableFact]
    public async Task ProductionOverlay_Renders_WithTheGeneratedSecretReplacingTheEmptyOne()
    {
        Skip.IfNot(ProcessRunner.OnPath("kubectl"), "kubectl is not installed");
        var copy = Path.Combine(Path.GetTempPath(), "ripcord-k8s-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            CopyFolder(DeploymentSettings.KubernetesRoot, copy);
            var overlay = Path.Combine(copy, "overlays", "production");
            var filled = File.ReadAllLines(Path.Combine(overlay, "secrets.env.example"))
                .Select(l => l.EndsWith('=') ? l + "filled-in-for-the-test" : l);
            await File.WriteAllLinesAsync(Path.Combine(overlay, "secrets.env"), filled);

            var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", overlay], timeout: TimeSpan.FromMinutes(2));

            Assert.True(result.ExitCode == 0, result.Error);
            var rendered = YamlDocuments.Parse(result.Output);
            var secret = Assert.Single(rendered, d => YamlDocuments.Scalar(d, "kind") == "Secret");
            Assert.Equal("ripcord-silo-secrets", YamlDocuments.Scalar(secret, "metadata.name"));
            Assert.Null(YamlDocuments.Map(secret, "stringData"));
            Assert.Equal(5, YamlDocuments.Map(secret, "data")!.Count);
            var deployment = Assert.Single(rendered, d => YamlDocuments.Scalar(d, "kind") == "Deployment");
            var container = Assert.Single(YamlDocuments.List(deployment, "spec.template.spec.containers"));
            Assert.Equal("registry.example.com/ripcord-silo:1.0.0", YamlDocuments.Scalar(container, "image"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Compose_RunsPostgresAndThreeHealthCheckedSilos()
    {
        var compose = YamlDocuments.ParseSingle(File.ReadAllText(DeploymentSettings.ComposeFile));
        var services = YamlDocuments.Map(compose, "services")!;
        var silos = services.Where(s => (YamlDocuments.Scalar(s.Value, "image") ?? "").Contains(DeploymentSettings.SiloImage, StringComparison.Ordinal)).ToList();

        Assert.Contains("pg_isready", string.Join(' ', YamlDocuments.List(services["postgres"], "healthcheck.test")), StringComparison.Ordinal);
        Assert.Equal(3, silos.Count);
        var hostPorts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, silo) in silos)
        {
            Assert.Contains("/readyz", string.Join(' ', YamlDocuments.List(silo, "healthcheck.test")), StringComparison.Ordinal);
            Assert.Equal("service_healthy", YamlDocuments.Scalar(silo, "depends_on.postgres.condition"));
            var drain = int.Parse(YamlDocuments.Scalar(silo, "environment.DOTNET_shutdownTimeoutSeconds")!, CultureInfo.InvariantCulture);
            var grace = int.Parse(YamlDocuments.Scalar(silo, "stop_grace_period")!.TrimEnd('s'), CultureInfo.InvariantCulture);
            Assert.True(grace > drain, $"{name}: stop_grace_period {grace}s must exceed the drain {drain}s");
            Assert.True(hostPorts.Add(Assert.Single(YamlDocuments.List(silo, "ports")) as string ?? ""), $"{name} reuses a host port");
        }
    }

    /// <summary>
    /// One Orleans cluster: the silos share the cluster and service ids, and each has a name of its own and
    /// advertises its service name, which the compose network resolves to the container's address.
    /// </summary>
    [Fact]
    public void Compose_SilosShareTheClusterAndAdvertiseThemselves()
    {
        var compose = YamlDocuments.ParseSingle(File.ReadAllText(DeploymentSettings.ComposeFile));
        var silos = YamlDocuments.Map(compose, "services")!
            .Where(s => (YamlDocuments.Scalar(s.Value, "image") ?? "").Contains(DeploymentSettings.SiloImage, StringComparison.Ordinal))
            .ToList();

        Assert.Equal(3, silos.Count);
        Assert.Single(silos.Select(s => YamlDocuments.Scalar(s.Value, "environment.Ripcord__Cluster__ClusterId")).Distinct());
        Assert.Single(silos.Select(s => YamlDocuments.Scalar(s.Value, "environment.Ripcord__Cluster__ServiceId")).Distinct());
        Assert.Equal(3, silos.Select(s => YamlDocuments.Scalar(s.Value, "environment.Ripcord__Cluster__SiloName")).Distinct().Count());
        foreach (var (name, silo) in silos)
        {
            Assert.NotNull(YamlDocuments.Scalar(silo, "environment.Ripcord__Cluster__ClusterId"));
            Assert.Equal(name, YamlDocuments.Scalar(silo, "environment.Ripcord__Cluster__AdvertisedAddress"));
            var exposed = YamlDocuments.List(silo, "expose").OfType<string>().ToList();
            Assert.Contains(YamlDocuments.Scalar(silo, "environment.Ripcord__Cluster__SiloPort"), exposed);
            Assert.Contains(YamlDocuments.Scalar(silo, "environment.Ripcord__Cluster__GatewayPort"), exposed);
        }
    }

    [Fact]
    public void Compose_SecretsComeFromTheEnvironmentAndAreRequired()
    {
        var compose = YamlDocuments.ParseSingle(File.ReadAllText(DeploymentSettings.ComposeFile));
        var services = YamlDocuments.Map(compose, "services")!;
        var silo = services["silo1"];

        Assert.StartsWith("${RIPCORD_ADMIN_KEY:?", YamlDocuments.Scalar(silo, "environment.Ripcord__Auth__ApiKeys__0__Key"), StringComparison.Ordinal);
        Assert.Contains("${RIPCORD_DB_PASSWORD:?", YamlDocuments.Scalar(silo, "environment.Ripcord__Store__Postgres__ConnectionString"), StringComparison.Ordinal);
        Assert.StartsWith("${RIPCORD_DB_PASSWORD:?", YamlDocuments.Scalar(services["postgres"], "environment.POSTGRES_PASSWORD"), StringComparison.Ordinal);
        var example = File.ReadAllLines(RepositoryRoot.Combine("deploy", "compose", ".env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        Assert.NotEmpty(example);
        Assert.All(example, l => Assert.EndsWith("=", l, StringComparison.Ordinal));
    }

    private static string ProductionSecretsExample => Path.Combine(DeploymentSettings.KubernetesRoot, "overlays", "production", "secrets.env.example");

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.GetDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    private static object? Resource(string kind, string name) =>
        _resources.Value.TryGetValue($"{kind}/{name}", out var resource) ? resource : throw new InvalidOperationException($"deploy/k8s/base has no {kind} {name}.");

    private static object? SiloContainer() =>
        Assert.Single(YamlDocuments.List(Resource("Deployment", "ripcord-silo"), "spec.template.spec.containers"));

    private static string? ContainerPort(string name) =>
        YamlDocuments.List(SiloContainer(), "ports").Where(p => YamlDocuments.Scalar(p, "name") == name).Select(p => YamlDocuments.Scalar(p, "containerPort")).SingleOrDefault();

    private static string ConfigMapValue(string key) =>
        YamlDocuments.Map(Resource("ConfigMap", "ripcord-silo-config"), "data")![key] as string ?? throw new InvalidOperationException($"ConfigMap lacks {key}.");

    private static Dictionary<string, object?> LoadKubernetes()
    {
        var resources = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var file in DeploymentSettings.KubernetesManifests())
        {
            foreach (var document in YamlDocuments.Parse(File.ReadAllText(file)))
            {
                resources.Add($"{YamlDocuments.Scalar(document, "kind")}/{YamlDocuments.Scalar(document, "metadata.name")}", document);
            }
        }

        return resources;
    }
}
