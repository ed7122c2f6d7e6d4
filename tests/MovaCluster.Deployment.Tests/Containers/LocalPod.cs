using MovaCluster.Deployment.Tests.Helm;
using YamlDotNet.RepresentationModel;

namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>A pod as the test plays it: its name, the workload it stands for, and its Pod manifest.</summary>
public sealed record LocalPod(string Name, Manifest Workload, int Ordinal, YamlMappingNode Manifest, IReadOnlyList<LocalContainer> Containers)
{
    public string Component => Workload.Root.Text("spec", "template", "metadata", "labels", "app.kubernetes.io/component") ?? "";

    public LocalContainer Container(string name) => Containers.Single(c => c.Name == name);

    /// <summary>The host port of a named container port of the pod's only (or first) container.</summary>
    public int Port(string name) => Containers.Select(c => c.Ports.GetValueOrDefault(name)).First(port => port != 0);
}
