using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovaCluster.Storage.LocalDisk;
using MovaCluster.Storage.S3;

namespace MovaCluster.Storage.Tests;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_use_the_local_disk()
    {
        var options = new StorageOptions();

        Assert.True(new StorageOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(ClipStoreProvider.LocalDisk, options.Provider);
        Assert.Equal(TimeSpan.FromHours(1), options.DownloadLinkExpiry);
    }

    [Fact]
    public void Validator_reports_every_s3_problem_at_once()
    {
        var options = new StorageOptions
        {
            Provider = ClipStoreProvider.S3,
            DownloadLinkExpiry = TimeSpan.FromDays(8),
            MaxAttempts = 0,
            S3 = new S3StoreOptions { Endpoint = "http://minio:9000", Bucket = "Bad_Bucket" },
        };

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Bucket", StringComparison.Ordinal));
    }

    [Fact]
    public void Object_names_refuse_path_tricks()
    {
        Assert.Throws<ArgumentException>(() => new ClipObjectName("..", "job", "video.mp4"));
        Assert.Throws<ArgumentException>(() => new ClipObjectName("tenant-a", "job/../../x", "video.mp4"));
        Assert.Throws<ArgumentException>(() => new ClipObjectName("tenant-a", "job", "../video.mp4"));
        Assert.Throws<ArgumentException>(() => new ClipObjectName("tenant a", "job", "video.mp4"));
        Assert.Equal("tenants/t/clips/j/video.mp4", new ClipObjectName("t", "j", "video.mp4").Key);
        Assert.Null(ClipObjectName.TryParseKey("tenants/t/uploads/j/video.mp4"));
        Assert.Equal(new ClipObjectName("t", "j", "video.mp4"), ClipObjectName.TryParseKey("tenants/t/clips/j/video.mp4"));
    }

    [Fact]
    public void Api_variants_map_to_valid_stored_names()
    {
        Assert.Equal([StandardVariants.Video], StandardVariants.ForApiVariant("video"));
        Assert.Equal([StandardVariants.ThumbnailJpeg, StandardVariants.ThumbnailWebP], StandardVariants.ForApiVariant("thumbnail"));
        Assert.Equal([StandardVariants.SpritesheetJpeg, StandardVariants.SpritesheetWebP], StandardVariants.ForApiVariant("spritesheet"));
        Assert.Empty(StandardVariants.ForApiVariant("audio"));
        foreach (var variant in new[] { "video", "thumbnail", "spritesheet" }.SelectMany(StandardVariants.ForApiVariant))
        {
            Assert.Equal(variant, new ClipObjectName("t", "j", variant).Variant);
        }
    }

    [Fact]
    public void AddMovaStorage_picks_the_configured_store()
    {
        using var local = Provider(new() { ["Mova:Storage:LocalDisk:RootPath"] = Path.Combine(Path.GetTempPath(), "mova-di-" + Guid.NewGuid().ToString("N")) });
        using var s3 = Provider(new()
        {
            ["Mova:Storage:Provider"] = "S3",
            ["Mova:Storage:S3:Endpoint"] = "127.0.0.1:9",
            ["Mova:Storage:S3:AccessKey"] = "a",
            ["Mova:Storage:S3:SecretKey"] = "b",
        });

        Assert.IsType<LocalDiskClipStore>(local.GetRequiredService<IClipStore>());
        Assert.IsType<S3ClipStore>(s3.GetRequiredService<IClipStore>());
    }

    [Fact]
    public void AddMovaStorage_fails_fast_on_invalid_settings()
    {
        using var provider = Provider(new() { ["Mova:Storage:Provider"] = "S3" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("Endpoint", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddMovaStorage(configuration).BuildServiceProvider();
    }
}
