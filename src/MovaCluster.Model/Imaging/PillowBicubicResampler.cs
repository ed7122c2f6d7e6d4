namespace MovaCluster.Model.Imaging;

/// <summary>
/// Pillow's <c>Image.resize(size, BICUBIC)</c> for 8-bit RGB: separable bicubic (a = -0.5) whose support widens with
/// the downscale factor (antialiasing), coefficients in 22-bit fixed point, horizontal pass first, each pass
/// rounded and clipped to uint8 — so results match PIL byte for byte rather than a textbook bicubic.
/// </summary>
public static class PillowBicubicResampler
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 2.0;

    /// <summary>Resizes packed RGB (3 bytes per pixel, row-major).</summary>
    public static byte[] Resize(ReadOnlySpan<byte> rgb, int width, int height, int outWidth, int outHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"Expected {width * height * 3} RGB bytes, got {rgb.Length}.", nameof(rgb));
        }

        bool horizontal = outWidth != width;
        bool vertical = outHeight != height;
        var (horizontalBounds, horizontalKernel, horizontalSize) = Coefficients(width, outWidth);
        var (verticalBounds, verticalKernel, verticalSize) = Coefficients(height, outHeight);

        byte[] current = rgb.ToArray();
        int currentHeight = height;
        int rowOffset = 0;
        if (horizontal)
        {
            int firstRow = vertical ? verticalBounds[0] : 0;
            int lastRow = vertical ? verticalBounds[(outHeight * 2) - 2] + verticalBounds[(outHeight * 2) - 1] : height;
            current = ResampleHorizontal(current, width, firstRow, lastRow - firstRow, outWidth, horizontalBounds, horizontalKernel, horizontalSize);
            currentHeight = lastRow - firstRow;
            rowOffset = firstRow;
        }

        int currentWidth = horizontal ? outWidth : width;
        if (vertical)
        {
            current = ResampleVertical(current, currentWidth, rowOffset, outHeight, verticalBounds, verticalKernel, verticalSize);
        }
        else if (currentHeight != outHeight)
        {
            throw new InvalidOperationException("Row window and output height disagree.");
        }

        return current;
    }

    private static double Filter(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((x - 5) * x) + 8) * x - 4) * a;
        }

        return 0.0;
    }

    private static (int[] Bounds, int[] Kernel, int KernelSize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        int kernelSize = ((int)Math.Ceiling(support) * 2) + 1;
        var bounds = new int[outSize * 2];
        var kernel = new int[outSize * kernelSize];
        var weights = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double total = 0.0;
            double inverse = 1.0 / filterScale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            Array.Clear(weights);
            for (int x = 0; x < xmax; x++)
            {
                double w = Filter((x + xmin - center + 0.5) * inverse);
                weights[x] = w;
                total += w;
            }

            for (int x = 0; x < xmax; x++)
            {
                if (total != 0.0)
                {
                    weights[x] /= total;
                }
            }

            for (int x = 0; x < kernelSize; x++)
            {
                double fixedPoint = weights[x] * (1 << PrecisionBits);
                kernel[(xx * kernelSize) + x] = weights[x] < 0 ? (int)(-0.5 + fixedPoint) : (int)(0.5 + fixedPoint);
            }

            bounds[xx * 2] = xmin;
            bounds[(xx * 2) + 1] = xmax;
        }

        return (bounds, kernel, kernelSize);
    }

    private static byte Clip8(int value)
    {
        if (value >= (1 << PrecisionBits << 8))
        {
            return 255;
        }

        return value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);
    }

    private static byte[] ResampleHorizontal(
        byte[] source, int width, int firstRow, int rows, int outWidth, int[] bounds, int[] kernel, int kernelSize)
    {
        var output = new byte[rows * outWidth * 3];
        for (int y = 0; y < rows; y++)
        {
            int sourceRow = (y + firstRow) * width * 3;
            for (int xx = 0; xx < outWidth; xx++)
            {
                int xmin = bounds[xx * 2];
                int xmax = bounds[(xx * 2) + 1];
                int k = xx * kernelSize;
                int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                for (int x = 0; x < xmax; x++)
                {
                    int p = sourceRow + ((x + xmin) * 3);
                    int w = kernel[k + x];
                    s0 += source[p] * w;
                    s1 += source[p + 1] * w;
                    s2 += source[p + 2] * w;
                }

                int o = ((y * outWidth) + xx) * 3;
                output[o] = Clip8(s0);
                output[o + 1] = Clip8(s1);
                output[o + 2] = Clip8(s2);
            }
        }

        return output;
    }

    private static byte[] ResampleVertical(byte[] source, int width, int rowOffset, int outHeight, int[] bounds, int[] kernel, int kernelSize)
    {
        var output = new byte[outHeight * width * 3];
        for (int yy = 0; yy < outHeight; yy++)
        {
            int ymin = bounds[yy * 2] - rowOffset;
            int ymax = bounds[(yy * 2) + 1];
            int k = yy * kernelSize;
            for (int x = 0; x < width; x++)
            {
                int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                for (int y = 0; y < ymax; y++)
                {
                    int p = (((y + ymin) * width) + x) * 3;
                    int w = kernel[k + y];
                    s0 += source[p] * w;
                    s1 += source[p + 1] * w;
                    s2 += source[p + 2] * w;
                }

                int o = ((yy * width) + x) * 3;
                output[o] = Clip8(s0);
                output[o + 1] = Clip8(s1);
                output[o + 2] = Clip8(s2);
            }
        }

        return output;
    }
}
