using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MovaCluster.Deployment.Tests.Helm;
using MovaCluster.Testing;
using YamlDotNet.RepresentationModel;

namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>
/// Does for the rendered chart what the controllers and the kubelet would, so podman 4.3 can play it on one host's
/// network: one Pod per StatefulSet ordinal (named name-0, name-1, ...) and per Deployment replica; env taken from
/// Secrets and pod fields resolved (podman 4.3 supports neither secretKeyRef nor metadata.namespace/status.podIP),
/// and <c>$(VAR)</c> in command and args expanded; Service names, and the per-pod names of the headless Service,
/// resolve to this host (a mounted hosts file). Pods after the first of a workload get fresh free ports, since all pods share
/// one network: each containerPort and the literal env values naming it move together. Probes are left to the test,
/// which polls the same endpoints (podman would turn them into curl healthchecks the images lack), and pods never
/// restart: a crash fails the test. Container ports are dropped from the played spec (on the host network they are
/// informational, and podman refuses them there). Everything else (images, env, security contexts, resources, volumes) is played
/// as rendered.
/// </summary>
public sealed partial class LocalPods
{
    private const string Namespace = "mova";

    private readonly RenderedRelease _release;
    private readonly string _hostsFile;
    private readonly IReadOnlyDictionary<(string Secret, string Key), string> _externalSecrets;

    /// <param name="release">The rendered chart.</param>
    /// <param name="hostsFile">Where to write the hosts file that resolves the release's Service names.</param>
    /// <param name="externalSecrets">Values of Secrets the release refers to but does not render.</param>
    public LocalPods(RenderedRelease release, string hostsFile, IReadOnlyDictionary<(string Secret, string Key), string>? externalSecrets = null)
    {
        _release = release;
        _hostsFile = hostsFile;
        _externalSecrets = externalSecrets ?? new Dictionary<(string, string), string>();
    }

    /// <summary>The address a host-network pod has: the node's (its first non-loopback IPv4 address).</summary>
    public static string NodeAddress { get; } = FindNodeAddress();

    /// <summary>The pods, in the order the workloads were rendered.</summary>
    public IReadOnlyList<LocalPod> Build()
    {
        File.WriteAllText(_hostsFile, $"127.0.0.1 localhost {string.Join(' ', ServiceNames())}\n::1 localhost\n");
        var pods = new List<LocalPod>();
        foreach (var workload in _release.Workloads)
        {
            var replicas = int.Parse(workload.Root.Text("spec", "replicas") ?? "1", CultureInfo.InvariantCulture);
            for (var ordinal = 0; ordinal < replicas; ordinal++)
            {
                var name = workload.Kind == "StatefulSet" ? $"{workload.Name}-{ordinal}" : $"{workload.Name}-{RandomSuffix()}";
                pods.Add(BuildPod(workload, name, ordinal));
            }
        }

        return pods;
    }

    /// <summary>The pods as one multi-document YAML file for <c>podman kube play</c>.</summary>
    public static string ToYaml(IEnumerable<LocalPod> pods)
    {
        var stream = new YamlStream([.. pods.Select(pod => new YamlDocument(pod.Manifest))]);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private LocalPod BuildPod(Manifest workload, string name, int ordinal)
    {
        var template = Clone(workload.Root.Map("spec", "template"));
        var pod = new YamlMappingNode
        {
            { "apiVersion", "v1" },
            { "kind", "Pod" },
        };
        var metadata = template.At("metadata") as YamlMappingNode ?? [];
        metadata.SetText("name", name);
        metadata.Remove("annotations");
        pod.Add("metadata", metadata);
        var spec = template.Map("spec");
        pod.Add("spec", spec);

        spec.SetText("restartPolicy", "Never");
        MountHostsFile(spec);

        var all = spec.Items("initContainers").Concat(spec.Items("containers")).OfType<YamlMappingNode>().ToList();
        var ports = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var port in all.Where(_ => ordinal > 0).SelectMany(container => container.Items("ports")).OfType<YamlMappingNode>())
        {
            var fresh = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            ports[port.Text("containerPort")!] = fresh;
            port.SetPlain("containerPort", fresh);
        }

        foreach (var container in all)
        {
            container.Remove("startupProbe");
            container.Remove("readinessProbe");
            container.Remove("livenessProbe");
            ResolveEnv(container, name, ports);
        }

        var containers = spec.Items("containers").OfType<YamlMappingNode>()
            .Select(c => new LocalContainer(c.Text("name")!, $"{name}-{c.Text("name")}", ContainerPorts(c))).ToList();

        // On the host network every port a process opens is the node's; podman 4.3 refuses port mappings there.
        foreach (var container in all)
        {
            container.Remove("ports");
        }

        return new LocalPod(name, workload, ordinal, pod, containers);
    }

    /// <summary>
    /// Service names resolve through an /etc/hosts file mounted into every container: podman 4.3 ignores hostAliases
    /// on the host network.
    /// </summary>
    private void MountHostsFile(YamlMappingNode spec)
    {
        var volumes = spec.At("volumes") as YamlSequenceNode ?? [];
        spec.Children[new YamlScalarNode("volumes")] = volumes;
        var hostPath = new YamlMappingNode();
        hostPath.SetText("path", _hostsFile);
        hostPath.SetText("type", "File");
        volumes.Add(new YamlMappingNode { { "name", "service-names" }, { "hostPath", hostPath } });
        foreach (var container in spec.Items("initContainers").Concat(spec.Items("containers")).OfType<YamlMappingNode>())
        {
            var mounts = container.At("volumeMounts") as YamlSequenceNode ?? [];
            container.Children[new YamlScalarNode("volumeMounts")] = mounts;
            var mount = new YamlMappingNode { { "name", "service-names" }, { "mountPath", "/etc/hosts" } };
            mount.SetPlain("readOnly", "true");
            mounts.Add(mount);
        }
    }

    private void ResolveEnv(YamlMappingNode container, string podName, IReadOnlyDictionary<string, string> movedPorts)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var env = new YamlSequenceNode();
        foreach (var entry in container.Items("env").OfType<YamlMappingNode>())
        {
            var name = entry.Text("name")!;
            var value = entry.Text("value") ?? ValueFrom(entry, podName, name);
            if (movedPorts.TryGetValue(value, out var moved))
            {
                value = moved;
            }

            values[name] = value;
            var resolved = new YamlMappingNode();
            resolved.SetText("name", name);
            resolved.SetText("value", value);
            env.Add(resolved);
        }

        if (env.Children.Count > 0)
        {
            container.Children[new YamlScalarNode("env")] = env;
        }

        foreach (var key in new[] { "command", "args" })
        {
            if (container.At(key) is YamlSequenceNode items)
            {
                container.Children[new YamlScalarNode(key)] = new YamlSequenceNode(items.Children.Select(item =>
                    new YamlScalarNode(Expand(((YamlScalarNode)item).Value ?? "", values)) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted }));
            }
        }
    }

    private string ValueFrom(YamlNode entry, string podName, string name)
    {
        if (entry.Text("valueFrom", "secretKeyRef", "name") is { } secret)
        {
            var key = entry.Text("valueFrom", "secretKeyRef", "key")!;
            return _release.SecretValue(secret, key)
                ?? (_externalSecrets.TryGetValue((secret, key), out var external) ? external : null)
                ?? throw new InvalidOperationException($"{name} refers to Secret {secret} key {key}, which neither the release nor the test provides.");
        }

        return entry.Text("valueFrom", "fieldRef", "fieldPath") switch
        {
            "metadata.name" => podName,
            "metadata.namespace" => Namespace,
            "status.podIP" => NodeAddress,
            var other => throw new InvalidOperationException($"{name}: unsupported env source {other ?? entry.ToString()}."),
        };
    }

    /// <summary>Kubernetes' <c>$(VAR)</c> expansion: known variables are replaced, <c>$$</c> escapes, unknown ones stay.</summary>
    private static string Expand(string text, IReadOnlyDictionary<string, string> values) =>
        VariableReference().Replace(text, match => match.Value == "$$" ? "$" : values.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);

    private List<string> ServiceNames()
    {
        var aliases = new List<string>();
        foreach (var service in _release.OfKind("Service"))
        {
            aliases.AddRange(DnsNames(service.Name));
            if (service.Root.Text("spec", "clusterIP") == "None")
            {
                foreach (var set in _release.OfKind("StatefulSet").Where(s => s.Root.Text("spec", "serviceName") == service.Name))
                {
                    var replicas = int.Parse(set.Root.Text("spec", "replicas") ?? "1", CultureInfo.InvariantCulture);
                    aliases.AddRange(Enumerable.Range(0, replicas).SelectMany(i => DnsNames($"{set.Name}-{i}.{service.Name}")));
                }
            }
        }

        return aliases;
    }

    private static IEnumerable<string> DnsNames(string name) =>
        [name, $"{name}.{Namespace}", $"{name}.{Namespace}.svc", $"{name}.{Namespace}.svc.cluster.local"];

    private static Dictionary<string, int> ContainerPorts(YamlNode container) =>
        container.Items("ports").ToDictionary(
            port => port.Text("name") ?? port.Text("containerPort")!,
            port => int.Parse(port.Text("containerPort")!, CultureInfo.InvariantCulture),
            StringComparer.Ordinal);

    private static YamlMappingNode Clone(YamlMappingNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var copy = new YamlStream();
        copy.Load(new StringReader(writer.ToString()));
        return (YamlMappingNode)copy.Documents[0].RootNode;
    }

    private static string RandomSuffix() => Guid.NewGuid().ToString("N")[..5];

    private static string FindNodeAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(address => address.Address)
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork)?.ToString()
        ?? "127.0.0.1";

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)")]
    private static partial Regex VariableReference();
}
