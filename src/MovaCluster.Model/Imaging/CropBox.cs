namespace MovaCluster.Model.Imaging;

/// <summary>A pixel rectangle: left/top inclusive, width and height in pixels.</summary>
public readonly record struct CropBox(int Left, int Top, int Width, int Height)
{
    /// <summary>
    /// MOVA's crop_and_resize crop: keep the full height and centre-crop the width to int(h / H · W) when the image is
    /// wider than the target aspect, else keep the full width and centre-crop the height to int(w / W · H). A crop
    /// that would round to nothing (a 1x1 image, a 3x1 strip for a tall target) keeps one pixel, where the official
    /// script would crash: the pixel is then stretched over the frame.
    /// </summary>
    public static CropBox CenterForAspect(int imageWidth, int imageHeight, int targetWidth, int targetHeight)
    {
        if ((double)imageHeight / imageWidth < (double)targetHeight / targetWidth)
        {
            int width = Math.Max(1, (int)((double)imageHeight / targetHeight * targetWidth));
            return new CropBox((imageWidth - width) / 2, 0, width, imageHeight);
        }

        int height = Math.Max(1, (int)((double)imageWidth / targetWidth * targetHeight));
        return new CropBox(0, (imageHeight - height) / 2, imageWidth, height);
    }
}
