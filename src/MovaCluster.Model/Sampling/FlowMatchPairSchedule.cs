using MovaCluster.Model.Configs;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// The official FlowMatchPairScheduler for one run: inference timesteps/sigmas (the same for video and audio),
/// the cached 1000-point training grid, and Euler updates whose sigmas are snapped to that grid (NUMERICS 8-10).
/// All arithmetic is float32 in the official order, so values match the reference bit for bit.
/// </summary>
public sealed class FlowMatchPairSchedule
{
    private readonly float[] _trainTimesteps;
    private readonly float[] _trainSigmas;

    public FlowMatchPairSchedule(FlowMatchSchedulerConfig config, int numInferenceSteps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(numInferenceSteps, 1);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid scheduler config: {string.Join(" ", errors)}", nameof(config));
        }

        Config = config;
        (_trainSigmas, _trainTimesteps) = Build(config, config.NumTrainTimesteps);
        var (sigmas, timesteps) = Build(config, numInferenceSteps);
        Sigmas = sigmas;
        Timesteps = timesteps;
    }

    public FlowMatchSchedulerConfig Config { get; }

    /// <summary>Inference timesteps t_k (the model receives these unsnapped).</summary>
    public IReadOnlyList<float> Timesteps { get; }

    /// <summary>Inference sigmas σ_k = t_k / num_train_timesteps.</summary>
    public IReadOnlyList<float> Sigmas { get; }

    /// <summary>The cached training grid timesteps.</summary>
    public IReadOnlyList<float> TrainTimesteps => _trainTimesteps;

    /// <summary>The cached training grid sigmas.</summary>
    public IReadOnlyList<float> TrainSigmas => _trainSigmas;

    /// <summary>Number of inference steps.</summary>
    public int Count => Timesteps.Count;

    /// <summary>σ of the training-grid point nearest to <paramref name="timestep"/> (first index on ties).</summary>
    public float SnapSigma(float timestep)
    {
        var best = 0;
        var bestDistance = float.PositiveInfinity;
        for (var i = 0; i < _trainTimesteps.Length; i++)
        {
            var distance = MathF.Abs(_trainTimesteps[i] - timestep);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = i;
            }
        }

        return _trainSigmas[best];
    }

    /// <summary>Snapped (σ_from, σ_to) of step <paramref name="step"/>; the last step goes to σ = 0 (1 when inverted).</summary>
    public (float From, float To) SigmasFromTo(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, Count);
        var from = SnapSigma(Timesteps[step]);
        var to = step + 1 < Count
            ? SnapSigma(Timesteps[step + 1])
            : (Config.InverseTimesteps || Config.ReverseSigmas ? 1f : 0f);
        return (from, to);
    }

    /// <summary>x + v·(σ_to − σ_from) for step <paramref name="step"/> (official <c>step_from_to</c>).</summary>
    public torch.Tensor Step(torch.Tensor velocity, int step, torch.Tensor sample)
    {
        ArgumentNullException.ThrowIfNull(velocity);
        ArgumentNullException.ThrowIfNull(sample);
        var (from, to) = SigmasFromTo(step);
        var delta = to - from;
        using var update = velocity.mul(delta);
        return sample.add(update);
    }

    /// <summary>
    /// Float32 linspace exactly as the reference torch (1.13, AVX2) fills it, which the official sigmas depend on:
    /// step = (end − start)/(n − 1) in float32; the output is written in pairs of blocks of 8 whose first element is a fused
    /// start + step·i (or end − step·(n − 1 − i) from the second half on) and whose other elements add step·j to it
    /// unfused; the tail past the last pair of blocks is fused per element. libtorch 2.x differs by 1-7 ulp.
    /// </summary>
    internal static float[] Linspace(double start, double end, int count)
    {
        const int Lanes = 8;
        var first = (float)start;
        var last = (float)end;
        var values = new float[count];
        if (count == 1)
        {
            values[0] = first;
            return values;
        }

        var step = (last - first) / (count - 1);
        var halfway = count / 2;
        float Fused(int i) => i < halfway ? MathF.FusedMultiplyAdd(step, i, first) : MathF.FusedMultiplyAdd(-step, count - i - 1, last);

        var index = 0;
        for (; index + 2 * Lanes <= count; index += 2 * Lanes)
        {
            for (var block = index; block < index + 2 * Lanes; block += Lanes)
            {
                var blockStart = Fused(block);
                values[block] = blockStart;
                for (var lane = 1; lane < Lanes; lane++)
                {
                    values[block + lane] = blockStart + step * lane;
                }
            }
        }

        for (; index < count; index++)
        {
            values[index] = Fused(index);
        }

        return values;
    }

    private static (float[] Sigmas, float[] Timesteps) Build(FlowMatchSchedulerConfig config, int steps)
    {
        using var scope = torch.NewDisposeScope();
        var sigmaStart = config.SigmaMin + (config.SigmaMax - config.SigmaMin) * 1.0;
        var sigmas = config.ExtraOneStep
            ? torch.tensor(Linspace(sigmaStart, config.SigmaMin, steps + 1)).narrow(0, 0, steps)
            : torch.tensor(Linspace(sigmaStart, config.SigmaMin, steps));
        if (config.InverseTimesteps)
        {
            sigmas = sigmas.flip(0);
        }

        if (config.ExponentialShift)
        {
            var expMu = Math.Exp(config.ExponentialShiftMu!.Value);
            sigmas = sigmas.reciprocal().sub(1).add(expMu).reciprocal().mul(expMu);
        }
        else
        {
            sigmas = sigmas.mul(config.Shift).div(sigmas.mul(config.Shift - 1).add(1));
        }

        if (config.ShiftTerminal is { } terminal)
        {
            var oneMinus = torch.ones_like(sigmas).sub(sigmas);
            var scale = oneMinus[-1].div(1 - terminal);
            sigmas = torch.ones_like(sigmas).sub(oneMinus.div(scale));
        }

        if (config.ReverseSigmas)
        {
            sigmas = torch.ones_like(sigmas).sub(sigmas);
        }

        var timesteps = sigmas.mul(config.NumTrainTimesteps);
        return (sigmas.data<float>().ToArray(), timesteps.data<float>().ToArray());
    }
}
