using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Model.Denoising;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// One model pass as a chain of device workers: the first stage runs the stem, every stage runs its contiguous
/// layer range and hands the residual streams to the next (moved with <c>.to(device)</c> when the devices differ),
/// and the first stage applies the heads. Passes of different jobs may be in flight at once: each stage works
/// through its own queue, so while one job's pass is on stage 2 another's can be on stage 1.
/// </summary>
public sealed class LayerPipeline : IAsyncDisposable
{
    private readonly IReadOnlyList<DeviceThread<StageHost>> _stages;

    /// <param name="experts">The video experts every stage of this pipeline serves.</param>
    /// <param name="stages">Workers in layer order; the first holds the stem.</param>
    public LayerPipeline(IReadOnlyCollection<VideoExpert> experts, IReadOnlyList<DeviceThread<StageHost>> stages)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("A pipeline has at least one stage.", nameof(stages));
        }

        Experts = [.. experts.Distinct()];
        _stages = stages;
    }

    public IReadOnlyCollection<VideoExpert> Experts { get; }

    public IReadOnlyList<DeviceThread<StageHost>> Stages => _stages;

    /// <summary>Evaluates the network once (one CFG branch); the float32 prediction belongs to the caller.</summary>
    public async Task<Velocity> PassAsync(VideoExpert expert, StepInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Experts.Contains(expert))
        {
            throw new InvalidOperationException($"This pipeline serves {string.Join(", ", Experts)}, not {expert}.");
        }

        var first = _stages[0];
        using var prepared = await first.RunAsync(host => host.RequireStem().Prepare(expert, input)).ConfigureAwait(false);
        DualTowerActivations? current = null;
        try
        {
            foreach (var stage in _stages)
            {
                var stageInput = current ?? prepared.Activations;
                var next = await stage.RunAsync(host => Detach(host.Layers.Run(expert, stageInput, prepared.Conditioning, cancellationToken))).ConfigureAwait(false);
                current?.Dispose();
                current = next;
            }

            var output = current!;
            return await first.RunAsync(host =>
            {
                var velocity = host.RequireStem().Finish(prepared, output);
                velocity.Video.DetachFromDisposeScope();
                velocity.Audio.DetachFromDisposeScope();
                return velocity;
            }).ConfigureAwait(false);
        }
        finally
        {
            current?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stage in _stages)
        {
            await stage.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static DualTowerActivations Detach(DualTowerActivations activations)
    {
        activations.Video.DetachFromDisposeScope();
        activations.Audio.DetachFromDisposeScope();
        return activations;
    }
}
