using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MovaCluster.Api.Dashboard;

namespace MovaCluster.Api.Tests.Dashboard;

public sealed class BrowserImageTests
{
    [Fact]
    public void A_greymap_becomes_a_grey_png_with_the_same_pixels()
    {
        var pixels = Enumerable.Range(0, 6).Select(i => (byte)(i * 40)).ToArray();
        var greymap = Encoding.ASCII.GetBytes("P5\n# simulated\n3 2\n255\n").Concat(pixels).ToArray();

        var (body, contentType) = BrowserImage.ForBrowser(greymap, "image/x-portable-graymap")!.Value;

        Assert.Equal("image/png", contentType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], body[..4]);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(20)));
        var idatLength = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(33));
        Assert.Equal("IDAT", Encoding.ASCII.GetString(body, 37, 4));
        using var inflated = new ZLibStream(new MemoryStream(body, 41, idatLength), CompressionMode.Decompress);
        using var rows = new MemoryStream();
        inflated.CopyTo(rows);
        Assert.Equal(new byte[] { 0, 0, 40, 80, 0, 120, 160, 200 }, rows.ToArray());
    }

    [Fact]
    public void Browser_formats_pass_through_and_unknown_ones_are_refused()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF];
        Assert.Same(jpeg, BrowserImage.ForBrowser(jpeg, "image/jpeg")!.Value.Body);
        Assert.Null(BrowserImage.ForBrowser(Encoding.ASCII.GetBytes("P6\n1 1\n255\nabc"), "image/x-portable-pixmap"));
        Assert.Null(BrowserImage.ForBrowser(Encoding.ASCII.GetBytes("P5\n4 4\n255\nab"), "image/x-portable-graymap"));
    }
}
