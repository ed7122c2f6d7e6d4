using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The cache of one job at one sampling step, handed to the step executor on <c>StepRequest.Cache</c>: the step, the
/// expert, the job's branch caches and whether this is a rebuild pass (on resume: recompute the branch's anchor pass
/// to restore its residuals, deciding nothing and counting nothing).
/// </summary>
public sealed class StepCache
{
    private readonly BranchCache _positive;
    private readonly BranchCache? _negative;

    internal StepCache(SamplingCache job, int step, int totalSteps, VideoExpert expert, bool rebuild, BranchCache positive, BranchCache? negative)
    {
        Job = job;
        Step = step;
        TotalSteps = totalSteps;
        Expert = expert;
        Rebuild = rebuild;
        _positive = positive;
        _negative = negative;
    }

    public int Step { get; }

    public int TotalSteps { get; }

    public VideoExpert Expert { get; }

    public bool Rebuild { get; }

    public CacheSettings Settings => Job.Settings;

    internal SamplingCache Job { get; }

    public BranchCache For(CfgBranch branch) => branch == CfgBranch.Positive
        ? _positive
        : _negative ?? throw new InvalidOperationException("This job runs without CFG: it has no negative branch.");
}
