namespace MovaCluster.Model.Execution;

/// <summary>Decoded video frames (RGB24, frame-major) and audio samples (interleaved fp32) of a finished generation.</summary>
public sealed record GenerationOutput
{
    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int FrameCount { get; init; }

    public required double FramesPerSecond { get; init; }

    public required byte[] VideoRgb24 { get; init; }

    public required float[] AudioSamples { get; init; }

    public required int AudioSampleRate { get; init; }

    public required int AudioChannels { get; init; }
}
