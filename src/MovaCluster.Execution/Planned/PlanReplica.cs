using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Model.Sampling;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// One replica of an execution plan, running: its device workers (in the planner's device order, pipelines x
/// stages), the layer pipelines they form and the sampler that runs jobs on them.
/// </summary>
public sealed class PlanReplica : IAsyncDisposable
{
    private readonly IDisposable? _ownedSampler;

    internal PlanReplica(ExecutionPlan plan, IReadOnlyList<LayerPipeline> pipelines, IPlanSampler sampler, IStepExecutor stepExecutor)
    {
        Plan = plan;
        Pipelines = pipelines;
        Sampler = sampler;
        StepExecutor = stepExecutor;
        _ownedSampler = sampler as IDisposable;
    }

    public ExecutionPlan Plan { get; }

    /// <summary>Pipelines in the planner's order: expert group major, CFG copy minor (0 = high-noise / positive).</summary>
    public IReadOnlyList<LayerPipeline> Pipelines { get; }

    /// <summary>Every device worker, in the planner's device order (<c>ReplicaLayout.DeviceOf</c>).</summary>
    public IReadOnlyList<DeviceThread<StageHost>> Workers => [.. Pipelines.SelectMany(p => p.Stages)];

    /// <summary>Runs whole jobs, as many in flight as the plan allows.</summary>
    public IPlanSampler Sampler { get; }

    /// <summary>
    /// The plan's devices as one step executor, for a caller that runs the sampling loop itself (the MOVA pipeline
    /// on a device worker): one job at a time, every step on the plan's pipelines, CFG pairs and expert groups.
    /// </summary>
    public IStepExecutor StepExecutor { get; }

    /// <summary>The parameters each worker holds, read on the workers' own threads.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<(string Component, string Key, long Elements)>>> ParametersByWorkerAsync() =>
        await Task.WhenAll(Workers.Select(w => w.RunAsync(host => host.Parameters()))).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        _ownedSampler?.Dispose();
        foreach (var pipeline in Pipelines)
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }
    }
}
