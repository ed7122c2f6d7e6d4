using MovaCluster.Execution.Checkpoints;

namespace MovaCluster.Execution;

/// <summary>One clip to generate, as the device worker sees it.</summary>
public sealed record GenerationJob
{
    public required string JobId { get; init; }

    public required string Prompt { get; init; }

    public string? NegativePrompt { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int FrameCount { get; init; }

    /// <summary>Frames per second of the clip (MOVA aligns audio to video time with it). Default 24.</summary>
    public double FramesPerSecond { get; init; } = 24;

    public int Steps { get; init; }

    public long Seed { get; init; }

    public float GuidanceScale { get; init; }

    public byte[]? ReferenceImage { get; init; }

    /// <summary>When set, denoising continues after this checkpoint instead of starting from noise.</summary>
    public DenoiseCheckpoint? ResumeFrom { get; init; }
}
