namespace MovaCluster.Media.Imaging;

/// <summary>Whether SkiaSharp's native library loads and encodes the formats previews and variants use.</summary>
public static class ImageCodecCheck
{
    /// <summary>Null when JPEG and WebP encode; otherwise what is wrong and how to fix it.</summary>
    public static string? Problem()
    {
        try
        {
            using var image = RgbImages.FromRgb(new byte[2 * 2 * 3], 2, 2);
            RgbImages.Encode(image, ImageEncoding.Jpeg, 80);
            RgbImages.Encode(image, ImageEncoding.WebP, 80);
            return null;
        }
        catch (Exception failure)
        {
            var cause = failure;
            while (cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            return $"SkiaSharp cannot encode images ({cause.GetType().Name}: {cause.Message}). Its native library (libSkiaSharp.so) "
                + "ships in the SkiaSharp.NativeAssets.Linux.NoDependencies package: run the host from a build or a linux-x64 publish of this repository.";
        }
    }
}
