using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// One CFG pass under the step and block cache. Stem (time/text embeddings, patchify, RoPE and bridge tables) and heads
/// always run, with this step's timestep. Then, for the branch's cache:
/// <list type="number">
/// <item>step level: if the accumulated rescaled change of the time modulation since the branch's last full pass is
/// below the threshold, output tokens = input tokens + that pass's stack residual, for both towers at once;</item>
/// <item>otherwise the layers run span by span (<see cref="CacheLayout"/>); after the first span the block level compares
/// its residual with the one of the last full pass and, below the threshold, replaces every cached span by its residual
/// (video and audio together: the bridge couples the towers at every shared layer, so one tower's intermediate states
/// never exist without the other's);</item>
/// <item>a pass that computed every layer refreshes the branch's residuals.</item>
/// </list>
/// A pass that skips nothing runs exactly the uncached ops (the layer ranges chain through the same per-layer function,
/// residuals are side computations), so thresholds of 0 give bit-identical results.
/// </summary>
public static class CachedPass
{
    /// <summary>Runs the pass on a denoiser that holds all its layers.</summary>
    public static Velocity Run(MovaDenoiser denoiser, StepRequest request, CfgBranch branch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        return Run(denoiser, (prepared, input, start, end) => denoiser.RunLayers(prepared, input, start, end, cancellationToken), request, branch);
    }

    /// <summary>
    /// Runs the pass with <paramref name="stem"/> for Prepare/Finish and <paramref name="runLayers"/> for the layers (a chain
    /// of shards, say). <paramref name="request"/> must carry a <see cref="StepCache"/>.
    /// </summary>
    public static Velocity Run(MovaDenoiser stem, LayerRunner runLayers, StepRequest request, CfgBranch branch)
    {
        ArgumentNullException.ThrowIfNull(stem);
        ArgumentNullException.ThrowIfNull(runLayers);
        ArgumentNullException.ThrowIfNull(request);
        var step = request.Cache ?? throw new ArgumentException("The request carries no step cache.", nameof(request));
        if (step.Expert != request.Expert || step.Step != request.StepIndex)
        {
            throw new ArgumentException($"The step cache is for step {step.Step} ({step.Expert}), the request for step {request.StepIndex} ({request.Expert}).", nameof(request));
        }

        var context = branch == CfgBranch.Positive
            ? request.PositiveContext
            : request.NegativeContext ?? throw new ArgumentException("A negative pass needs the negative context.", nameof(branch));
        var cache = step.For(branch);
        cache.Begin(step);
        using var scope = torch.NewDisposeScope();
        using var prepared = stem.Prepare(request.Expert, request.ToInput(context));
        var layout = step.Job.LayoutFor(stem.LayerCount, stem.SharedLayerCount);
        if (cache.DecideStep(step, prepared.Conditioning))
        {
            using var reused = cache.ApplyStepResidual(prepared.Activations);
            cache.CommitReuse(CachePassOutcome.StepReused, 0, layout.LayerCount);
            return Keep(stem.Finish(prepared, reused));
        }

        DualTowerActivations? current = null;
        try
        {
            var reuseBlocks = false;
            var computed = 0;
            foreach (var span in layout.Spans)
            {
                var input = current ?? prepared.Activations;
                DualTowerActivations next;
                if (span.Cached && reuseBlocks)
                {
                    next = cache.ApplySpan(span, input);
                }
                else
                {
                    next = runLayers(prepared, input, span.Start, span.End);
                    computed += span.Count;
                    if (span.Cached)
                    {
                        cache.StageSpan(span, input, next);
                    }
                }

                if (layout.HasCachedSpans && span.Start == 0)
                {
                    reuseBlocks = cache.DecideBlocks(step, layout, prepared.Activations, next);
                }

                current?.Dispose();
                current = next;
            }

            if (reuseBlocks)
            {
                cache.CommitReuse(CachePassOutcome.BlocksReused, computed, layout.LayerCount);
            }
            else
            {
                cache.CommitFull(step, prepared.Activations, current!, layout.LayerCount);
            }

            return Keep(stem.Finish(prepared, current!));
        }
        finally
        {
            current?.Dispose();
        }
    }

    private static Velocity Keep(Velocity velocity)
    {
        velocity.Video.MoveToOuterDisposeScope();
        velocity.Audio.MoveToOuterDisposeScope();
        return velocity;
    }
}
