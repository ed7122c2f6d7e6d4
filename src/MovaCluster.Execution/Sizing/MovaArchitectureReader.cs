using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Text;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Sizing;

/// <summary>
/// Sizes a MOVA checkpoint for the planner from its own files instead of the built-in MOVA numbers: the towers and
/// the bridge from video_dit/, video_dit_2/, audio_dit/ and dual_tower_bridge/ config.json (validated like the
/// loader validates them), the UMT5 encoder from text_encoder/config.json, and the VAEs by counting the tensors
/// in their safetensors headers (nothing is read beyond the headers). Absent encoders and decoders count as zero.
/// </summary>
public static class MovaArchitectureReader
{
    public static MovaArchitecture FromCheckpoint(string folder, int bytesPerParameter = 2)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Checkpoint folder '{Path.GetFullPath(folder)}' does not exist.");
        }

        var high = ConfigJson.Load<WanModelConfig>(Path.Combine(folder, "video_dit"));
        var low = ConfigJson.Load<WanModelConfig>(Path.Combine(folder, "video_dit_2"));
        if (high.Dim != low.Dim || high.NumLayers != low.NumLayers || high.FfnDim != low.FfnDim)
        {
            throw new InvalidDataException($"The two video experts of '{folder}' differ in shape (dim {high.Dim}/{low.Dim}, layers {high.NumLayers}/{low.NumLayers}); the planner assumes twins.");
        }

        var audio = ConfigJson.Load<WanAudioModelConfig>(Path.Combine(folder, "audio_dit"));
        var bridge = ConfigJson.Load<BridgeConfig>(Path.Combine(folder, "dual_tower_bridge"));
        var video = new TowerShape(high.Dim, high.NumLayers, high.FfnDim, high.InDim, high.OutDim, high.TextDim, high.FreqDim, high.PatchSize.Aggregate(1, (a, b) => a * b));
        var audioShape = new TowerShape(audio.Dim, audio.NumLayers, audio.FfnDim, audio.InDim, audio.OutDim, audio.TextDim, audio.FreqDim, audio.PatchSize.Aggregate(1, (a, b) => a * b));
        return new MovaArchitecture(
            Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)),
            video,
            audioShape,
            new BridgeShape(bridge.VisualHiddenDim, bridge.AudioHiddenDim, bridge.InteractionLayers),
            TextEncoderParameters(Path.Combine(folder, "text_encoder")),
            StoredParameters(Path.Combine(folder, "video_vae")),
            StoredParameters(Path.Combine(folder, "audio_vae")),
            bytesPerParameter);
    }

    /// <summary>UMT5 encoder parameters from its config: embeddings, per layer q/k/v/o, relative bias, gated FFN and norms, final norm.</summary>
    public static long TextEncoderParameters(string textEncoderFolder)
    {
        if (!File.Exists(Path.Combine(textEncoderFolder, "config.json")))
        {
            return 0;
        }

        var c = Umt5Config.Load(textEncoderFolder);
        long d = c.DModel, inner = c.InnerDim, ff = c.DFf;
        var gated = c.FeedForwardProj.StartsWith("gated", StringComparison.Ordinal) ? 2 : 1;
        var layer = (4 * d * inner) + ((long)c.RelativeAttentionNumBuckets * c.NumHeads) + d + (gated * d * ff) + (ff * d) + d;
        return ((long)c.VocabSize * d) + (c.NumLayers * layer) + d;
    }

    // Elements listed in the component's safetensors header(s); zero when the component is absent.
    private static long StoredParameters(string componentFolder)
    {
        if (!Directory.Exists(componentFolder) || !Directory.EnumerateFiles(componentFolder, "*.safetensors").Any())
        {
            return 0;
        }

        using var checkpoint = SafetensorsCheckpoint.Open(componentFolder);
        return checkpoint.Keys.Sum(k => checkpoint.GetInfo(k).ElementCount);
    }
}
