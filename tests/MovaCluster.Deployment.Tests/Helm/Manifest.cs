using YamlDotNet.RepresentationModel;

namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>One Kubernetes object of a rendered chart.</summary>
public sealed class Manifest(YamlMappingNode root)
{
    public YamlMappingNode Root { get; } = root;

    public string Kind => Root.Text("kind") ?? throw new InvalidDataException("A manifest without kind:\n" + Root);

    public string Name => Root.Text("metadata", "name") ?? throw new InvalidDataException("A manifest without a name:\n" + Root);

    /// <summary>The pod spec of a workload (StatefulSet, Deployment) or of a Pod.</summary>
    public YamlMappingNode PodSpec => Kind == "Pod" ? Root.Map("spec") : Root.Map("spec", "template", "spec");

    public YamlMappingNode Container(string name) =>
        PodSpec.Items("containers").OfType<YamlMappingNode>().SingleOrDefault(c => c.Text("name") == name)
        ?? throw new KeyNotFoundException($"{Kind}/{Name} has no container '{name}'.");

    /// <summary>Every container of the pod, init containers first.</summary>
    public IEnumerable<YamlMappingNode> AllContainers =>
        PodSpec.Items("initContainers").Concat(PodSpec.Items("containers")).OfType<YamlMappingNode>();

    public static IReadOnlyList<EnvVar> Env(YamlNode container) =>
        [.. container.Items("env").Select(entry => new EnvVar(
            entry.Text("name") ?? throw new InvalidDataException("An env entry without a name: " + entry),
            entry.Text("value"),
            entry.Text("valueFrom", "secretKeyRef", "name"),
            entry.Text("valueFrom", "secretKeyRef", "key"),
            entry.Text("valueFrom", "fieldRef", "fieldPath")))];

    /// <summary>The literal value of an environment variable of a container; fails when it is absent or not literal.</summary>
    public string EnvValue(string container, string name) =>
        Env(Container(container)).SingleOrDefault(e => e.Name == name)?.Value
        ?? throw new KeyNotFoundException($"{Kind}/{Name} container {container} has no literal {name}.");

    public override string ToString() => $"{Kind}/{Name}";
}
