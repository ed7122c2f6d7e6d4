namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>A container of a played pod: its name in the pod, podman's name for it, and its ports by name.</summary>
public sealed record LocalContainer(string Name, string PodmanName, IReadOnlyDictionary<string, int> Ports);
