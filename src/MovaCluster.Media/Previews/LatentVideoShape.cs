namespace MovaCluster.Media.Previews;

/// <summary>The shape of a video latent laid out channel-major as [C, F, H, W] (batch dimension dropped).</summary>
public sealed record LatentVideoShape(int Channels, int Frames, int Height, int Width)
{
    /// <summary>Number of values in a latent of this shape.</summary>
    public long ElementCount => (long)Channels * Frames * Height * Width;
}
