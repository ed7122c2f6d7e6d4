using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// What one device of a plan holds: its layer range of the dual-tower stack for the experts it serves, and, on
/// the first stage of a pipeline, the stem (embeddings, patchify, RoPE, heads) of those experts.
/// </summary>
public sealed class StageHost : IDisposable
{
    private StageHost(MovaDenoiser? stem, LayerRangeStage layers)
    {
        Stem = stem;
        Layers = layers;
    }

    /// <summary>The experts' stems (first stage only), else null.</summary>
    public MovaDenoiser? Stem { get; }

    public LayerRangeStage Layers { get; }

    /// <summary>Builds and loads a stage from an official MOVA folder on <paramref name="device"/>.</summary>
    public static StageHost Load(string folder, DTypePolicy policy, torch.Device device, IReadOnlyCollection<VideoExpert> experts, Range layers, bool withStem)
    {
        ArgumentNullException.ThrowIfNull(experts);
        var stem = withStem
            ? MovaDenoiserLoader.LoadStem(folder, policy, device, experts.Distinct().Count() == 1 ? experts.First() : null)
            : null;
        try
        {
            return new StageHost(stem, LayerRangeStage.Load(folder, experts, layers.Start.Value, layers.End.Value, new ParameterFactory(device, policy)));
        }
        catch
        {
            stem?.Dispose();
            throw;
        }
    }

    /// <summary>The stem of the pipeline; throws on a later stage.</summary>
    public MovaDenoiser RequireStem() =>
        Stem ?? throw new InvalidOperationException($"Stage [{Layers.Start}, {Layers.End}) is not the first of its pipeline and holds no stem.");

    /// <summary>
    /// Every parameter this device holds, as (component folder, checkpoint key, elements): what a test counts to
    /// show that a device holds its own share of the model and nothing else.
    /// </summary>
    public IReadOnlyList<(string Component, string Key, long Elements)> Parameters()
    {
        var list = new List<(string, string, long)>();
        foreach (var (component, targets) in Layers.TargetsByComponent())
        {
            list.AddRange(targets.Select(t => (component, t.Key, t.Value.numel())));
        }

        if (Stem is { } stem)
        {
            foreach (var expert in new[] { VideoExpert.HighNoise, VideoExpert.LowNoise }.Where(stem.Holds))
            {
                list.AddRange(stem.Expert(expert).state_dict().Select(t => (MovaDenoiserLoader.ExpertFolder(expert), t.Key, t.Value.numel())));
            }

            list.AddRange(stem.Audio.state_dict().Select(t => ("audio_dit", t.Key, t.Value.numel())));
            list.AddRange(stem.Bridge.state_dict().Select(t => ("dual_tower_bridge", t.Key, t.Value.numel())));
        }

        return list;
    }

    public void Dispose()
    {
        Stem?.Dispose();
        Layers.Dispose();
    }
}
