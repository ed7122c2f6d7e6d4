namespace MovaCluster.Api.Models;

/// <summary>One model the API offers: what it defaults to, what it allows, and which workers run it.</summary>
public sealed class ModelProfile
{
    /// <summary>
    /// The model name workers serving this model report (<c>Mova:Execution:Mova:ModelName</c>, by default the checkpoint
    /// folder's name), compared ignoring case. Jobs of this model run only on such workers, and a create is refused
    /// while none is live. Required.
    /// </summary>
    public string WorkerModel { get; set; } = "";

    /// <summary>Width used when the request gives no size. Default 640.</summary>
    public int DefaultWidth { get; set; } = 640;

    /// <summary>Height used when the request gives no size. Default 352.</summary>
    public int DefaultHeight { get; set; } = 352;

    /// <summary>Largest width or height (either orientation). Default 640.</summary>
    public int MaxLongSide { get; set; } = 640;

    /// <summary>Largest value of the shorter side. Default 352.</summary>
    public int MaxShortSide { get; set; } = 352;

    /// <summary>Length used when the request gives neither seconds nor num_frames. Default 4.</summary>
    public int DefaultSeconds { get; set; } = 4;

    /// <summary>Most frames a request may ask for. Default 193 (8 s at 24 fps).</summary>
    public int MaxFrames { get; set; } = 193;

    /// <summary>Frame rate used when the request gives none. Default 24.</summary>
    public int DefaultFps { get; set; } = 24;

    /// <summary>Denoising steps used when the request gives none. Default 50.</summary>
    public int DefaultSteps { get; set; } = 50;

    /// <summary>Most denoising steps a request may ask for. Default 100.</summary>
    public int MaxSteps { get; set; } = 100;

    /// <summary>Classifier-free guidance used when the request gives none. Default 5.</summary>
    public float DefaultGuidanceScale { get; set; } = 5.0f;
}
