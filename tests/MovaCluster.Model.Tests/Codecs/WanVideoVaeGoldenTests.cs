using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using static MovaCluster.Model.Tests.Support.TensorDifference;

namespace MovaCluster.Model.Tests.Codecs;

public sealed class WanVideoVaeGoldenTests : IClassFixture<WanVideoVaeGoldenTests.TinyVae>
{
    private const double Tolerance = 1e-4;
    private readonly WanVideoVae _vae;

    public WanVideoVaeGoldenTests(TinyVae fixture)
    {
        _vae = fixture.Vae;
    }

    [Fact]
    public void Every_encode_case_matches_mean_and_moments()
    {
        var cases = CodecGoldenSet.CasesWith("input.video", "output.latent_mean", "output.moments");
        Assert.NotEmpty(cases);
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            using var file = CodecGoldenSet.OpenCase(name);
            var moments = _vae.EncodeMoments(file.Read("input.video"));
            AssertClose(moments, file.Read("output.moments"), Tolerance, $"{name}: moments");
            AssertClose(_vae.EncodeMean(file.Read("input.video")), file.Read("output.latent_mean"), Tolerance, $"{name}: latent_mean");
        }
    }

    [Fact]
    public void Every_condition_case_matches_mask_latent_and_normalized_condition()
    {
        var cases = CodecGoldenSet.CasesWith("input.image", "output.condition");
        Assert.NotEmpty(cases);
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            using var file = CodecGoldenSet.OpenCase(name);
            int frames = CodecGoldenSet.CaseEntry(name).GetProperty("params").GetProperty("frames").GetInt32();
            var condition = _vae.EncodeImageCondition(file.Read("input.image"), frames);
            AssertClose(condition, file.Read("output.condition"), Tolerance, $"{name}: condition");
            AssertClose(condition.narrow(1, 0, 4), file.Read("output.mask"), 0, $"{name}: mask");
            AssertClose(_vae.EncodeMean(file.Read("input.video_condition")), file.Read("output.latent_mean"), Tolerance, $"{name}: latent_mean");
        }
    }

    [Fact]
    public void Every_decode_case_matches_clamped_video_and_unclamped_decoder_output()
    {
        var cases = CodecGoldenSet.CasesWith("input.latent", "output.video", "intermediate.decoder");
        Assert.NotEmpty(cases);
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            using var file = CodecGoldenSet.OpenCase(name);
            var latent = file.Read("input.latent");
            AssertClose(_vae.Decode(latent), file.Read("output.video"), Tolerance, $"{name}: video");
            AssertClose(_vae.Decode(latent, clamp: false), file.Read("intermediate.decoder"), Tolerance, $"{name}: decoder");
        }
    }

    [Fact]
    public void Decoding_in_row_bands_gives_the_same_video()
    {
        using var vae = WanVideoVae.FromFolder(CodecGoldenSet.Component("video_vae"), torch.CPU);
        vae.SetConvolutionBufferBudget(1);
        foreach (var name in CodecGoldenSet.CasesWith("input.latent", "output.video"))
        {
            using var scope = torch.NewDisposeScope();
            using var file = CodecGoldenSet.OpenCase(name);
            AssertClose(vae.Decode(file.Read("input.latent")), file.Read("output.video"), Tolerance, $"{name}: banded decode");
        }
    }

    [Fact]
    public void Every_normalization_case_matches_mova_normalize_and_denormalize()
    {
        var cases = CodecGoldenSet.CasesWith("input.latent", "output.normalized", "output.denormalized");
        Assert.NotEmpty(cases);
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            using var file = CodecGoldenSet.OpenCase(name);
            var latent = file.Read("input.latent");
            AssertClose(_vae.Normalize(latent), file.Read("output.normalized"), 0, $"{name}: normalized (bit-exact)");
            AssertClose(_vae.Denormalize(latent), file.Read("output.denormalized"), 0, $"{name}: denormalized (bit-exact)");
            AssertClose(_vae.Denormalize(_vae.Normalize(latent)), file.Read("output.denormalize_of_normalized"), 0, $"{name}: round trip");
        }
    }

    [Fact]
    public void Rgb_frames_follow_diffusers_postprocessing()
    {
        var cases = CodecGoldenSet.CasesWith("input.latent", "output.video");
        Assert.NotEmpty(cases);
        foreach (var name in cases)
        {
            using var file = CodecGoldenSet.OpenCase(name);
            using var latent = file.Read("input.latent");
            using var expectedVideo = file.Read("output.video");
            var rgb = _vae.DecodeToRgb(latent);

            var shape = expectedVideo.shape;
            Assert.Equal((shape[4], shape[3], shape[2]), ((long)rgb.Width, (long)rgb.Height, (long)rgb.FrameCount));
            using var expected = ((expectedVideo[0] * 0.5 + 0.5).clamp(0.0, 1.0) * 255.0).round().to(torch.uint8).permute(1, 2, 3, 0).contiguous();
            var expectedBytes = expected.data<byte>().ToArray();
            var actualBytes = rgb.Frames.SelectMany(f => f).ToArray();
            int differing = expectedBytes.Zip(actualBytes).Count(p => p.First != p.Second);
            // Float32 kernel differences below 1e-5 can flip a value sitting exactly on a rounding boundary.
            Assert.True(differing <= expectedBytes.Length / 1000, $"{name}: {differing} of {expectedBytes.Length} bytes differ");
            Assert.All(expectedBytes.Zip(actualBytes), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1));
        }
    }

    /// <summary>One tiny VAE loaded from the golden folder for all tests of the class.</summary>
    public sealed class TinyVae : IDisposable
    {
        public TinyVae()
        {
            Vae = WanVideoVae.FromFolder(CodecGoldenSet.Component("video_vae"), torch.CPU);
        }

        public WanVideoVae Vae { get; }

        public void Dispose() => Vae.Dispose();
    }
}
