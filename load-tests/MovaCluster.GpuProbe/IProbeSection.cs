using System.Text.Json.Nodes;

namespace MovaCluster.GpuProbe;

/// <summary>One part of the probe; runs on the probe's device thread and returns its results.</summary>
internal interface IProbeSection
{
    string Name { get; }

    JsonObject Run(ProbeContext context);
}
