namespace MovaCluster.Grains.Queue;

/// <summary>Persistent state of the queue's phase statistics: averages per job shape (model, resolution, frames).</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.PhaseStatisticsState")]
public sealed class PhaseStatisticsState
{
    [Id(0)] public Dictionary<string, PhaseAverages> Shapes { get; set; } = new(StringComparer.Ordinal);
}
