using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Previews;

namespace MovaCluster.Media.Tests;

public sealed class MediaOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_reference_quality()
    {
        var options = new MediaOptions();

        Assert.True(new MediaOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(5, options.VideoCrf);
        Assert.Equal(192, options.AudioBitrateKbps);
        Assert.Equal("ultrafast", options.VideoPreset);
    }

    [Fact]
    public void Validator_reports_every_problem_at_once()
    {
        var options = new MediaOptions { VideoCrf = 60, VideoPreset = "warp", PreviewScale = 0, ImageQuality = 101 };

        var result = new MediaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void AddMovaMedia_binds_configuration_and_fails_on_bad_values()
    {
        var good = Provider(new Dictionary<string, string?> { ["Mova:Media:VideoPreset"] = "fast" });
        Assert.Equal("fast", good.GetRequiredService<IOptions<MediaOptions>>().Value.VideoPreset);
        Assert.IsType<ClipMuxer>(good.GetRequiredService<IClipMuxer>());
        Assert.NotNull(good.GetRequiredService<LatentPreviewRenderer>());

        var bad = Provider(new Dictionary<string, string?> { ["Mova:Media:VideoCrf"] = "99" });
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<MediaOptions>>().Value);
        Assert.Contains("VideoCrf", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddMovaMedia(configuration).BuildServiceProvider();
    }
}
