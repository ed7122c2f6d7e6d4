namespace MovaCluster.Model.Pipeline;

/// <summary>
/// Where each component of a MOVA checkpoint lives. <see cref="ForCheckpoint"/> gives the official layout
/// (SPEC 1.2); tests may assemble components from different folders.
/// </summary>
public sealed record MovaComponentPaths(
    string DenoiserRoot,
    string TextEncoder,
    string Tokenizer,
    string VideoVae,
    string AudioVae,
    string? SchedulerConfig,
    string? ModelIndex)
{
    public static MovaComponentPaths ForCheckpoint(string root) => new(
        root,
        Path.Combine(root, "text_encoder"),
        Path.Combine(root, "tokenizer"),
        Path.Combine(root, "video_vae"),
        Path.Combine(root, "audio_vae"),
        Path.Combine(root, "scheduler", "scheduler_config.json"),
        Path.Combine(root, "model_index.json"));
}
