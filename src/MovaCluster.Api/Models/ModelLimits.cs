namespace MovaCluster.Api.Models;

/// <summary>What a model accepts (the catalog's limits) and what its live workers have room for.</summary>
public sealed record ModelLimits
{
    public required string DefaultSize { get; init; }

    public int MaxLongSide { get; init; }

    public int MaxShortSide { get; init; }

    /// <summary>Sizes are snapped to multiples of this.</summary>
    public int SizeMultiple { get; init; } = 16;

    public int MaxFrames { get; init; }

    public int DefaultFps { get; init; }

    public int DefaultSeconds { get; init; }

    public int DefaultSteps { get; init; }

    public int MaxSteps { get; init; }

    public float DefaultGuidanceScale { get; init; }

    /// <summary>Largest width x height x frames a live worker of this model takes; 0 while none is live.</summary>
    public long MaxWorkerVolume { get; init; }
}
