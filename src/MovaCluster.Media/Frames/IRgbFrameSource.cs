namespace MovaCluster.Media.Frames;

/// <summary>
/// Video frames as packed 8-bit RGB (3 bytes per pixel, rows top to bottom), fetched one at a time so that a
/// consumer never needs every raw frame in memory at once.
/// </summary>
public interface IRgbFrameSource
{
    /// <summary>Frame width in pixels.</summary>
    int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    int Height { get; }

    /// <summary>Number of frames.</summary>
    int FrameCount { get; }

    /// <summary>Copies frame <paramref name="index"/> into <paramref name="destination"/> (exactly Width*Height*3 bytes).</summary>
    ValueTask CopyFrameAsync(int index, Memory<byte> destination, CancellationToken cancellationToken);
}
