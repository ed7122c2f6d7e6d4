namespace MovaCluster.Model.Planning;

/// <summary>
/// How one replica of the model is laid over devices. Plans compose: a replica is <see cref="PipelineStages"/> devices
/// per pipeline, doubled when the experts run on separate stage groups, doubled again for CFG-parallel pairs.
/// </summary>
/// <param name="PipelineStages">Contiguous layer ranges of the dual-tower stack, one device each (1 = whole stack).</param>
/// <param name="SplitExperts">High-noise expert on one stage group, low-noise expert on another; jobs flow between them.</param>
/// <param name="CfgParallel">The positive and negative CFG passes of a step run on two pipelines at once.</param>
public sealed record ExecutionPlan(int PipelineStages, bool SplitExperts, bool CfgParallel)
{
    public static ExecutionPlan SingleDevice { get; } = new(1, false, false);

    public int GpusPerReplica => PipelineStages * (SplitExperts ? 2 : 1) * (CfgParallel ? 2 : 1);

    /// <summary>Stable name operators use to pin a plan: e.g. <c>replica</c>, <c>pipeline4</c>, <c>experts+cfg</c>.</summary>
    public string Name
    {
        get
        {
            var parts = new List<string>();
            if (PipelineStages > 1)
            {
                parts.Add($"pipeline{PipelineStages}");
            }

            if (SplitExperts)
            {
                parts.Add("experts");
            }

            if (CfgParallel)
            {
                parts.Add("cfg");
            }

            return parts.Count == 0 ? "replica" : string.Join('+', parts);
        }
    }

    public override string ToString() => Name;

    /// <summary>Parses a name produced by <see cref="Name"/>.</summary>
    public static ExecutionPlan Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == "replica")
        {
            return SingleDevice;
        }

        var stages = 1;
        var split = false;
        var cfg = false;
        foreach (var part in name.Split('+'))
        {
            if (part == "experts")
            {
                split = true;
            }
            else if (part == "cfg")
            {
                cfg = true;
            }
            else if (part.StartsWith("pipeline", StringComparison.Ordinal) && int.TryParse(part["pipeline".Length..], out var k) && k > 1)
            {
                stages = k;
            }
            else
            {
                throw new FormatException($"Unknown plan part '{part}' in '{name}'. Plans are 'replica' or '+'-joined parts: pipelineN (N > 1), experts, cfg.");
            }
        }

        return new ExecutionPlan(stages, split, cfg);
    }
}
