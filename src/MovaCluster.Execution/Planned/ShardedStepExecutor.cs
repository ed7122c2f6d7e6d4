using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Runs each pass as stem → chain of layer-range stages (each on its own device) → heads, driven from the calling
/// thread. The stem and heads come from <paramref name="stem"/>; <paramref name="stagesFor"/> gives the chain per
/// expert, which must cover [0, depth) contiguously.
/// </summary>
public sealed class ShardedStepExecutor(MovaDenoiser stem, Func<VideoExpert, IReadOnlyList<LayerRangeStage>> stagesFor) : IStepExecutor
{
    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shards = stagesFor(request.Expert);
        Validate(shards);
        var positive = Pass(request, request.PositiveContext, shards, cancellationToken);
        try
        {
            var negative = request.NegativeContext is null ? null : Pass(request, request.NegativeContext, shards, cancellationToken);
            return new StepVelocities(positive, negative);
        }
        catch
        {
            positive.Dispose();
            throw;
        }
    }

    private Velocity Pass(StepRequest request, TorchSharp.torch.Tensor context, IReadOnlyList<LayerRangeStage> shards, CancellationToken cancellationToken)
    {
        using var prepared = stem.Prepare(request.Expert, request.ToInput(context));
        DualTowerActivations? current = null;
        try
        {
            foreach (var shard in shards)
            {
                var next = shard.Run(request.Expert, current ?? prepared.Activations, prepared.Conditioning, cancellationToken);
                current?.Dispose();
                current = next;
            }

            return stem.Finish(prepared, current!);
        }
        finally
        {
            current?.Dispose();
        }
    }

    private void Validate(IReadOnlyList<LayerRangeStage> shards)
    {
        var expected = 0;
        foreach (var shard in shards)
        {
            if (shard.Start != expected)
            {
                throw new InvalidOperationException($"Shards must cover the stack contiguously: expected a shard starting at layer {expected}, got [{shard.Start}, {shard.End}).");
            }

            expected = shard.End;
        }

        if (expected != stem.LayerCount)
        {
            throw new InvalidOperationException($"Shards end at layer {expected} but the stack has {stem.LayerCount} layers.");
        }
    }
}
