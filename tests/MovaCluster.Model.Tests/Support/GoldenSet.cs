using System.Text.Json;
using System.Text.RegularExpressions;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Testing;

namespace MovaCluster.Model.Tests.Support;

/// <summary>
/// The MOVA golden set: <c>MOVA_GOLDENS</c> if set, else <c>&lt;repo root&gt;/../shared/goldens/mova-tiny</c>.
/// A missing folder is a test failure, never a skip. Cases are found by what they hold (their tensors and params),
/// never by name, and sizes come from the set's configs: other sets of the same format have other names and shapes.
/// </summary>
public static partial class GoldenSet
{
    private static readonly Lazy<string> LazyRoot = new(() => RepositoryPaths.MovaGoldens);
    private static readonly Lazy<JsonDocument> LazyManifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));

    public static string Root => LazyRoot.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static string Component(string name) => Path.Combine(Root, name);

    public static IEnumerable<string> CaseNames => Manifest.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static JsonElement CaseEntry(string name) => Manifest.GetProperty("cases").GetProperty(name);

    public static SafetensorsFile OpenCase(string name) =>
        SafetensorsFile.Open(Path.Combine(Root, CaseEntry(name).GetProperty("file").GetString()!));

    /// <summary>The manifest's record of a component (its config, files, keys with shapes, parameter count).</summary>
    public static JsonElement ComponentEntry(string component) => Manifest.GetProperty("components").GetProperty(component);

    /// <summary>Names of the cases whose tensor list contains every one of <paramref name="tensors"/>.</summary>
    public static IReadOnlyList<string> CasesWith(params string[] tensors) =>
        [.. CaseNames.Where(name => tensors.All(t => CaseEntry(name).GetProperty("tensors").TryGetProperty(t, out _)))];

    /// <summary>One DiT block forward each (call <c>&lt;component&gt;.blocks[i](x, context, t_mod, freqs)</c>).</summary>
    public static IReadOnlyList<string> BlockCases => CasesWith("input.x", "input.context", "input.t_mod", "output.x");

    /// <summary>One bridge layer forward each.</summary>
    public static IReadOnlyList<string> BridgeLayerCases => CasesWith("input.visual", "input.audio", "output.visual", "output.audio");

    /// <summary>One official <c>inference_single_step</c> each, with the expert folder in <c>params.expert</c>.</summary>
    public static IReadOnlyList<string> SingleStepCases => CasesWith("input.visual_latents", "input.audio_latents", "input.context", "output.visual");

    /// <summary>Whole sampling loops of the official pipeline.</summary>
    public static IReadOnlyList<string> LoopCases =>
        [.. CasesWith("input.video_noise", "input.audio_noise", "loop.timesteps").Where(n => CaseEntry(n).GetProperty("params").TryGetProperty("num_inference_steps", out _))];

    /// <summary>Scheduler combos (<c>params.combos</c>).</summary>
    public static IReadOnlyList<string> SchedulerCases => [.. CaseNames.Where(n => CaseEntry(n).GetProperty("params").TryGetProperty("combos", out _))];

    /// <summary>RoPE, bridge and sinusoid tables.</summary>
    public static IReadOnlyList<string> RopeCases => CasesWith("sinusoid.timesteps");

    /// <summary>DAC decodes of the audio VAE.</summary>
    public static IReadOnlyList<string> DacCases => CasesWith("input.z", "output.audio");

    /// <summary>The expert a single-step case ran, from its <c>params.expert</c> component folder.</summary>
    public static VideoExpert ExpertOf(string singleStepCase)
    {
        var folder = CaseEntry(singleStepCase).GetProperty("params").GetProperty("expert").GetString();
        return Enum.GetValues<VideoExpert>().Single(e => MovaDenoiserLoader.ExpertFolder(e) == folder);
    }

    /// <summary>The first single-step case of <paramref name="expert"/>; the set must have one.</summary>
    public static string SingleStepCase(VideoExpert expert) =>
        SingleStepCases.FirstOrDefault(n => ExpertOf(n) == expert)
        ?? throw new InvalidDataException($"The golden set at {Root} has no single-step case for {expert} ({MovaDenoiserLoader.ExpertFolder(expert)}).");

    /// <summary>A sampling loop case, preferring one with classifier-free guidance; the set must have one.</summary>
    public static string LoopCase() =>
        LoopCases.OrderBy(n => CaseEntry(n).GetProperty("params").GetProperty("cfg_scale").GetDouble() == 1.0).FirstOrDefault()
        ?? throw new InvalidDataException($"The golden set at {Root} has no sampling loop case.");

    /// <summary>The component (<c>video_dit</c>, <c>video_dit_2</c>, <c>audio_dit</c>) and block index a block case ran.</summary>
    public static (string Component, int Block) BlockOf(string blockCase)
    {
        var call = CaseEntry(blockCase).GetProperty("call").GetString()!;
        var match = BlockCall().Match(call);
        return match.Success
            ? (match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : throw new InvalidDataException($"Block case '{blockCase}' has call '{call}', not '<component>.blocks[i](...)'.");
    }

    public static WanModelConfig VideoConfig(string component = "video_dit") => ConfigJson.Load<WanModelConfig>(Component(component));

    public static WanAudioModelConfig AudioConfig => ConfigJson.Load<WanAudioModelConfig>(Component("audio_dit"));

    public static BridgeConfig BridgeConfig => ConfigJson.Load<BridgeConfig>(Component("dual_tower_bridge"));

    public static string SchedulerConfigPath => Path.Combine(Root, "scheduler", "scheduler_config.json");

    public static string ModelIndexPath => Path.Combine(Root, "model_index.json");

    public static FlowMatchSchedulerConfig SchedulerConfig => ConfigJson.Load<FlowMatchSchedulerConfig>(SchedulerConfigPath);

    /// <summary>The expert switch of the pipeline, from model_index.json.</summary>
    public static double BoundaryRatio => ConfigJson.Load<MovaPipelineConfig>(ModelIndexPath).BoundaryRatio;

    /// <summary>Layers of the dual-tower stack: the deeper of the two towers.</summary>
    public static int StackLayers => Math.Max(VideoConfig().NumLayers, AudioConfig.NumLayers);

    [GeneratedRegex(@"^(\w+)\.blocks\[(\d+)\]")]
    private static partial Regex BlockCall();
}
