using MovaCluster.Contracts.Loras;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;
using MovaCluster.Model.Lora;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// A job's adapters on a plan replica: each adapter is read once on the worker's thread, validated against the whole
/// model's catalog, and each stage device binds its own part (<see cref="LoraTargets.BindPart"/>) on its own thread;
/// merges, restores and activations run on every stage's thread with that stage's <see cref="LoraRuntime"/>.
/// </summary>
public sealed class PlannedLoraApplier : LoraApplier<PlannedLoraApplier.Parts>
{
    private readonly IReadOnlyList<(DeviceThread<StageHost> Thread, LoraRuntime Runtime)> _stages;
    private readonly LoraLayerCatalog _catalog;

    private PlannedLoraApplier(
        IReadOnlyList<(DeviceThread<StageHost> Thread, LoraRuntime Runtime)> stages, LoraLayerCatalog catalog, LoraExecutionOptions options, LoraResidency? residency, string device)
        : base(options, options.DeviceBudgetBytes * stages.Count, residency, device)
    {
        _stages = stages;
        _catalog = catalog;
    }

    /// <summary>Builds each stage's targets and runtime on its thread; <paramref name="checkpointFolder"/> gives the whole model's catalog.</summary>
    public static PlannedLoraApplier Create(PlanReplica replica, string checkpointFolder, LoraExecutionOptions options, LoraResidency? residency, string device)
    {
        ArgumentNullException.ThrowIfNull(replica);
        var stages = replica.Workers
            .Select(worker => (Thread: worker, Runtime: worker.RunAsync(host => new LoraRuntime(StageLoraTargets.For(host))).GetAwaiter().GetResult()))
            .ToList();
        return new PlannedLoraApplier(stages, LoraLayerCatalog.FromCheckpoint(checkpointFolder), options, residency, device);
    }

    protected override Parts Bind(JobLora lora, string folder)
    {
        using var adapter = LoraFiles.Read(lora, folder);
        _catalog.Validate(adapter);
        var parts = new List<BoundLoraAdapter>();
        try
        {
            foreach (var (thread, runtime) in _stages)
            {
                parts.Add(thread.RunAsync(_ => runtime.Targets.BindPart(adapter)).GetAwaiter().GetResult());
            }
        }
        catch
        {
            Release(new Parts(parts));
            throw;
        }

        return new Parts(parts);
    }

    protected override long BytesOf(Parts bound) => bound.Bytes;

    protected override bool InUse(Parts bound) => bound.InUse;

    protected override void Release(Parts bound) => OnEveryStage(i => bound.Stage(i).Dispose(), bound.Count);

    protected override void Merge(IReadOnlyList<(Parts Bound, double Strength)> set) => OnEveryStage(i => _stages[i].Runtime.Merge(SetOf(set, i)));

    protected override void Restore() => OnEveryStage(i => _stages[i].Runtime.Restore());

    protected override IDisposable Activate(IReadOnlyList<(Parts Bound, double Strength)> set)
    {
        var activations = new LoraActivation?[_stages.Count];
        try
        {
            OnEveryStage(i => activations[i] = _stages[i].Runtime.Activate(SetOf(set, i)));
        }
        catch
        {
            new StageActivations(this, activations).Dispose();
            throw;
        }

        return new StageActivations(this, activations);
    }

    private static LoraSet SetOf(IReadOnlyList<(Parts Bound, double Strength)> set, int stage) =>
        new(set.Select(entry => new AppliedLora(entry.Bound.Stage(stage), entry.Strength)));

    /// <summary>Runs <paramref name="action"/> for each stage on that stage's thread, all stages at once, and waits.</summary>
    private void OnEveryStage(Action<int> action, int? count = null) =>
        Task.WhenAll(Enumerable.Range(0, count ?? _stages.Count).Select(i => _stages[i].Thread.RunAsync(_ =>
        {
            action(i);
            return true;
        }))).GetAwaiter().GetResult();

    /// <summary>One adapter's parts, stage by stage (a stage holding none of its layers has an empty part).</summary>
    public sealed class Parts(IReadOnlyList<BoundLoraAdapter> parts)
    {
        public int Count => parts.Count;

        public long Bytes => parts.Sum(p => p.Bytes);

        public bool InUse => parts.Any(p => p.InUse);

        public BoundLoraAdapter Stage(int index) => parts[index];
    }

    private sealed class StageActivations(PlannedLoraApplier owner, LoraActivation?[] activations) : IDisposable
    {
        public void Dispose() => owner.OnEveryStage(i => activations[i]?.Dispose());
    }
}
