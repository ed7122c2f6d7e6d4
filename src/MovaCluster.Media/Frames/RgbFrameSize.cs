namespace MovaCluster.Media.Frames;

/// <summary>Size arithmetic shared by everything that handles packed RGB frames.</summary>
public static class RgbFrameSize
{
    /// <summary>Bytes per packed RGB pixel.</summary>
    public const int BytesPerPixel = 3;

    /// <summary>Bytes of one frame of <paramref name="source"/>.</summary>
    public static int BytesPerFrame(this IRgbFrameSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return BytesPerFrame(source.Width, source.Height);
    }

    /// <summary>Bytes of one <paramref name="width"/> x <paramref name="height"/> frame.</summary>
    public static int BytesPerFrame(int width, int height) => checked(width * height * BytesPerPixel);
}
