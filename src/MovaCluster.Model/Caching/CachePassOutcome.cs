namespace MovaCluster.Model.Caching;

/// <summary>What one CFG pass did.</summary>
public enum CachePassOutcome
{
    /// <summary>Every layer computed (the pass refreshed the branch's cache).</summary>
    Computed,

    /// <summary>First and last layers computed, the cached spans replaced by their residual (block level).</summary>
    BlocksReused,

    /// <summary>No layer computed: the branch's last stack residual was added to the input tokens (step level).</summary>
    StepReused,
}
