namespace MovaCluster.Media.Frames;

/// <summary>A frame source over frames that are already in memory, one array per frame.</summary>
public sealed class InMemoryRgbFrames : IRgbFrameSource
{
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _frames;

    /// <summary>Wraps <paramref name="frames"/>; each must hold exactly width*height*3 bytes.</summary>
    public InMemoryRgbFrames(int width, int height, IReadOnlyList<ReadOnlyMemory<byte>> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var expected = RgbFrameSize.BytesPerFrame(width, height);
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].Length != expected)
            {
                throw new ArgumentException($"Frame {i} has {frames[i].Length} bytes; a {width}x{height} RGB frame has {expected}.", nameof(frames));
            }
        }

        Width = width;
        Height = height;
        _frames = frames;
    }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int FrameCount => _frames.Count;

    /// <inheritdoc />
    public ValueTask CopyFrameAsync(int index, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _frames.Count);
        _frames[index].CopyTo(destination);
        return ValueTask.CompletedTask;
    }
}
