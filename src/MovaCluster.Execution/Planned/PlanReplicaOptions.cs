using MovaCluster.Model.Checkpoints;

namespace MovaCluster.Execution.Planned;

/// <summary>What a replica of a plan loads: the official MOVA folder, the dtype policy and, optionally, the layer ranges.</summary>
public sealed record PlanReplicaOptions
{
    /// <summary>Folder with video_dit/, video_dit_2/, audio_dit/ and dual_tower_bridge/.</summary>
    public required string CheckpointFolder { get; init; }

    /// <summary>Weight dtypes (default float32; bf16 on GPUs).</summary>
    public DTypePolicy Policy { get; init; } = DTypePolicy.Float32;

    /// <summary>
    /// Layer range of each pipeline stage (e.g. the planner's <c>ReplicaLayout.StageLayers</c>). Null splits the
    /// stack into ranges of about equal parameter bytes.
    /// </summary>
    public IReadOnlyList<Range>? StageLayers { get; init; }
}
