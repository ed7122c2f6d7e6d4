namespace MovaCluster.Execution.Mova;

/// <summary>Settings of the MOVA executor (section <c>Mova:Execution:Mova</c>).</summary>
public sealed class MovaExecutorOptions
{
    /// <summary>
    /// A MOVA checkpoint folder in the official layout (MOVA-360p or MOVA-720p). Empty (the default) builds the tiny
    /// random-weights MOVA instead, whose output is noise.
    /// </summary>
    public string CheckpointPath { get; set; } = "";

    /// <summary>Name the workers report and jobs record. Empty (the default): the checkpoint folder's name, or the tiny model's name.</summary>
    public string ModelName { get; set; } = "";

    /// <summary>Weight dtype: "float32" (the default, what CPUs run) or "bfloat16" (what the official code runs on GPUs).</summary>
    public string WeightDType { get; set; } = "float32";

    /// <summary>Folder the tiny model is generated into once and reused from. Default: "movacluster-models" under the temp folder.</summary>
    public string TinyModelCache { get; set; } = Path.Combine(Path.GetTempPath(), "movacluster-models");

    /// <summary>Prompt window in tokens (the official pipeline pads and truncates to 512). Default 512.</summary>
    public int MaxPromptTokens { get; set; } = 512;

    /// <summary>
    /// Largest width x height x frames a worker accepts. Zero (the default) means 1280 x 720 x 193 for a checkpoint and
    /// 256 x 256 x 49 for the tiny model.
    /// </summary>
    public long MaxVolume { get; set; }
}
