namespace MovaCluster.Media.Frames;

/// <summary>
/// A frame source that renders each frame on request, e.g. from a decoded video tensor, so that only the frame
/// being consumed exists as bytes.
/// </summary>
public sealed class GeneratedRgbFrames : IRgbFrameSource
{
    private readonly Func<int, Memory<byte>, CancellationToken, ValueTask> _render;

    /// <summary>Creates a source of <paramref name="frameCount"/> frames filled by <paramref name="render"/>.</summary>
    public GeneratedRgbFrames(int width, int height, int frameCount, Func<int, Memory<byte>, CancellationToken, ValueTask> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        Width = width;
        Height = height;
        FrameCount = frameCount;
        _render = render;
    }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int FrameCount { get; }

    /// <inheritdoc />
    public ValueTask CopyFrameAsync(int index, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrameCount);
        return _render(index, destination, cancellationToken);
    }
}
