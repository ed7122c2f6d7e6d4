using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>Reference images, good and bad, that the generated requests carry.</summary>
public static class FuzzImages
{
    public static readonly byte[] TinyPng = TestPngs.Solid(16, 16);

    /// <summary>The PNG signature, then nothing a decoder can use.</summary>
    public static readonly byte[] GarbageAfterPngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "this is no IHDR chunk, just noise"u8.ToArray()];

    /// <summary>A 64x48 PNG cut in the middle of its pixel data.</summary>
    public static readonly byte[] TruncatedPng = TestPngs.Solid(64, 48)[..60];

    /// <summary>A header claiming 10000x10000 pixels (over the budget) with one row of data.</summary>
    public static readonly byte[] HugeDimensionsPng = TestPngs.HeaderClaiming(10_000, 10_000);

    public static readonly byte[] NotAnImage = "%PDF-1.7 definitely not an image"u8.ToArray();

    /// <summary>JPEG's start-of-image marker and nothing else.</summary>
    public static readonly byte[] TinyJpegHeaderOnly = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
}
