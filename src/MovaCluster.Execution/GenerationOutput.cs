namespace MovaCluster.Execution;

/// <summary>Decoded video frames (RGB24, one buffer per frame) and audio samples (interleaved fp32) of a finished generation.</summary>
public sealed record GenerationOutput
{
    public required int Width { get; init; }

    public required int Height { get; init; }

    public int FrameCount => VideoFrames.Count;

    public required double FramesPerSecond { get; init; }

    /// <summary>
    /// The frames as the decoder produced them, not joined into one array: that would hold the whole video twice
    /// at the end of a job (193 frames: 130 MB more at 352x640, 534 MB at 720x1280).
    /// </summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> VideoFrames { get; init; }

    public required float[] AudioSamples { get; init; }

    public required int AudioSampleRate { get; init; }

    public required int AudioChannels { get; init; }

    /// <summary>Views the frames of a frame-major RGB24 buffer without copying them.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> FramesOf(byte[] rgb24, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(rgb24);
        var frameBytes = checked(width * height * 3);
        if (frameBytes <= 0 || rgb24.Length % frameBytes != 0)
        {
            throw new ArgumentException($"{rgb24.Length} bytes are not whole {width}x{height} RGB24 frames.", nameof(rgb24));
        }

        return [.. Enumerable.Range(0, rgb24.Length / frameBytes).Select(index => (ReadOnlyMemory<byte>)rgb24.AsMemory(index * frameBytes, frameBytes))];
    }
}
