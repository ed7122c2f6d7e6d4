using System.Text.Json.Serialization;

namespace MovaCluster.Model.Configs;

/// <summary>
/// The pipeline-level <c>model_index.json</c>: the expert boundary, the audio VAE type and the
/// <c>[library, class]</c> pair of each component (null pairs for components a folder leaves out).
/// </summary>
public sealed record MovaPipelineConfig : IComponentConfig
{
    public double BoundaryRatio { get; init; } = 0.9;
    public string AudioVaeType { get; init; } = "dac";
    public string?[]? VideoDit { get; init; }
    [JsonPropertyName("video_dit_2")]
    public string?[]? VideoDit2 { get; init; }
    public string?[]? AudioDit { get; init; }
    public string?[]? DualTowerBridge { get; init; }
    public string?[]? AudioVae { get; init; }
    public string?[]? VideoVae { get; init; }
    public string?[]? TextEncoder { get; init; }
    public string?[]? Tokenizer { get; init; }
    public string?[]? Scheduler { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(BoundaryRatio >= 0 && BoundaryRatio <= 1))
        {
            errors.Add($"boundary_ratio must be within [0, 1] (got {BoundaryRatio}).");
        }

        if (AudioVaeType != "dac")
        {
            errors.Add($"audio_vae_type '{AudioVaeType}' is not supported (MOVA uses \"dac\").");
        }

        return errors;
    }
}
