using Ripcord.Deploy.Tests.Yaml;
using Ripcord.Silo.Hosting;

namespace Ripcord.Deploy.Tests.Manifests;

/// <summary>
/// Collects every setting the deployment files give a silo: compose <c>environment</c> of the services running the
/// silo image, Kubernetes container <c>env</c> and the keys of every ConfigMap and Secret a silo container takes
/// with <c>envFrom</c>. Constructs the tests cannot see through (<c>env_file</c>, a missing ConfigMap) fail loudly.
/// </summary>
public static class DeploymentSettings
{
    public const string SiloImage = "ripcord-silo";

    public static string ComposeFile => RepositoryRoot.Combine("deploy", "compose", "compose.yaml");

    /// <summary>deploy/k8s: the base and its overlays.</summary>
    public static string KubernetesRoot => RepositoryRoot.Combine("deploy", "k8s");

    /// <summary>deploy/k8s/base: the manifests.</summary>
    public static string KubernetesFolder => Path.Combine(KubernetesRoot, "base");

    /// <summary>Every Kubernetes manifest in deploy/k8s/base (the kustomization itself excluded).</summary>
    public static IReadOnlyList<string> KubernetesManifests() =>
        Directory.GetFiles(KubernetesFolder, "*.yaml")
            .Where(f => !string.Equals(Path.GetFileName(f), "kustomization.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<ConfigurationSetting> FromRepository()
    {
        var settings = new List<ConfigurationSetting>();
        settings.AddRange(FromCompose("deploy/compose/compose.yaml", File.ReadAllText(ComposeFile)));
        settings.AddRange(FromKubernetes(KubernetesManifests().Select(f => ("deploy/k8s/base/" + Path.GetFileName(f), File.ReadAllText(f)))).Settings);
        foreach (var file in Directory.GetFiles(KubernetesRoot, "secrets.env.example", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
            settings.AddRange(FromEnvFile(name, File.ReadAllText(file)));
        }

        return settings;
    }

    /// <summary>A kustomize env file (secretGenerator or configMapGenerator <c>envs</c>): NAME=value lines.</summary>
    public static IReadOnlyList<ConfigurationSetting> FromEnvFile(string file, string text) =>
        text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => new ConfigurationSetting(file, "env file", l.Contains('=', StringComparison.Ordinal) ? l[..l.IndexOf('=', StringComparison.Ordinal)] : l))
            .ToList();

    /// <summary>The settings whose key the silo does not read.</summary>
    public static IReadOnlyList<ConfigurationSetting> Unknown(IEnumerable<ConfigurationSetting> settings) =>
        settings.Where(s => !ConfigurationKeys.IsKnown(s.Key)).ToList();

    public static IReadOnlyList<ConfigurationSetting> FromCompose(string file, string text)
    {
        var document = YamlDocuments.ParseSingle(text);
        var services = YamlDocuments.Map(document, "services") ?? throw new InvalidOperationException($"{file} has no services.");
        var settings = new List<ConfigurationSetting>();
        var silos = 0;
        foreach (var (name, service) in services)
        {
            if (!IsSiloImage(YamlDocuments.Scalar(service, "image")))
            {
                continue;
            }

            silos++;
            if (YamlDocuments.Map(service) is { } map && map.ContainsKey("env_file"))
            {
                throw new InvalidOperationException($"{file}: service {name} uses env_file, which the configuration check cannot read; list the variables under environment.");
            }

            var environment = YamlDocuments.Map(service, "environment");
            if (environment is not null)
            {
                settings.AddRange(environment.Keys.Select(k => new ConfigurationSetting(file, $"service {name}", k)));
            }
            else
            {
                foreach (var entry in YamlDocuments.List(service, "environment").OfType<string>())
                {
                    var cut = entry.IndexOf('=', StringComparison.Ordinal);
                    settings.Add(new ConfigurationSetting(file, $"service {name}", cut < 0 ? entry : entry[..cut]));
                }
            }
        }

        return silos > 0 ? settings : throw new InvalidOperationException($"{file}: no service runs the {SiloImage} image.");
    }

    public static KubernetesSettings FromKubernetes(IEnumerable<(string File, string Text)> manifests)
    {
        var resources = manifests
            .SelectMany(m => YamlDocuments.Parse(m.Text).Select(d => (m.File, Document: d)))
            .ToList();
        var sources = new Dictionary<(string Kind, string Name), (string File, List<string> Keys)>();
        foreach (var (file, document) in resources)
        {
            var kind = YamlDocuments.Scalar(document, "kind");
            var name = YamlDocuments.Scalar(document, "metadata.name") ?? "";
            var sections = kind switch
            {
                "ConfigMap" => new[] { "data", "binaryData" },
                "Secret" => ["stringData", "data"],
                _ => [],
            };
            if (sections.Length > 0)
            {
                var keys = sections.SelectMany(s => YamlDocuments.Map(document, s)?.Keys ?? Enumerable.Empty<string>()).ToList();
                sources[(kind!, name)] = (file, keys);
            }
        }

        var settings = new List<ConfigurationSetting>();
        var referenced = new HashSet<(string, string)>();
        var siloContainers = 0;
        foreach (var (file, document) in resources)
        {
            var kind = YamlDocuments.Scalar(document, "kind");
            var podSpec = kind switch
            {
                "Deployment" or "StatefulSet" or "DaemonSet" or "Job" => YamlDocuments.Map(document, "spec.template.spec"),
                "CronJob" => YamlDocuments.Map(document, "spec.jobTemplate.spec.template.spec"),
                "Pod" => YamlDocuments.Map(document, "spec"),
                _ => null,
            };
            if (podSpec is null)
            {
                continue;
            }

            var workload = $"{kind} {YamlDocuments.Scalar(document, "metadata.name")}";
            foreach (var container in YamlDocuments.List(podSpec, "containers").Concat(YamlDocuments.List(podSpec, "initContainers")))
            {
                if (!IsSiloImage(YamlDocuments.Scalar(container, "image")))
                {
                    continue;
                }

                siloContainers++;
                var where = $"{workload}, container {YamlDocuments.Scalar(container, "name")}";
                foreach (var variable in YamlDocuments.List(container, "env"))
                {
                    var name = YamlDocuments.Scalar(variable, "name") ?? throw new InvalidOperationException($"{file}: {where} has an env entry without a name.");
                    settings.Add(new ConfigurationSetting(file, where + " env", name));
                }

                foreach (var source in YamlDocuments.List(container, "envFrom"))
                {
                    var prefix = YamlDocuments.Scalar(source, "prefix") ?? "";
                    var (sourceKind, reference) = YamlDocuments.Map(source, "configMapRef") is { } c ? ("ConfigMap", c)
                        : YamlDocuments.Map(source, "secretRef") is { } s ? ("Secret", s)
                        : throw new InvalidOperationException($"{file}: {where} has an envFrom entry that is neither configMapRef nor secretRef.");
                    var name = YamlDocuments.Scalar(reference, "name") ?? "";
                    if (!sources.TryGetValue((sourceKind, name), out var found))
                    {
                        throw new InvalidOperationException($"{file}: {where} takes {sourceKind} '{name}' with envFrom, but no manifest defines it.");
                    }

                    referenced.Add((sourceKind, name));
                    settings.AddRange(found.Keys.Select(k => new ConfigurationSetting(found.File, $"{sourceKind} {name}, via envFrom of {where}", prefix + k)));
                }
            }
        }

        if (siloContainers == 0)
        {
            throw new InvalidOperationException($"No Kubernetes workload runs the {SiloImage} image.");
        }

        var unreferenced = sources.Keys.Where(k => !referenced.Contains(k)).Select(k => $"{k.Kind} {k.Name} ({sources[k].File})").ToList();
        return new KubernetesSettings(settings, unreferenced);
    }

    private static bool IsSiloImage(string? image) => image is not null && image.Contains(SiloImage, StringComparison.Ordinal);
}

/// <summary>What the Kubernetes manifests set, and the ConfigMaps and Secrets no silo container takes.</summary>
public sealed record KubernetesSettings(IReadOnlyList<ConfigurationSetting> Settings, IReadOnlyList<string> Unreferenced);
