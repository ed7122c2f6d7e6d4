namespace MovaCluster.Model.Planning;

/// <summary>The devices a plan may use: identical GPUs, grouped in nodes; a pipeline's stages stay inside one node.</summary>
public sealed record ClusterHardware(DeviceProfile Device, int GpuCount, int GpusPerNode = 8, double HostCpuTflops = 1.5)
{
    public int Nodes => (GpuCount + GpusPerNode - 1) / GpusPerNode;
}
