using Microsoft.Extensions.Options;

namespace MovaCluster.Media;

/// <summary>Checks <see cref="MediaOptions"/> at start and reports every problem at once.</summary>
public sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    /// <summary>The x264 presets ffmpeg accepts.</summary>
    public static readonly IReadOnlySet<string> X264Presets = new HashSet<string>(StringComparer.Ordinal)
    {
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo",
    };

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.VideoCrf is < 0 or > 51 || double.IsNaN(options.VideoCrf))
        {
            failures.Add($"{nameof(MediaOptions.VideoCrf)} must be between 0 and 51 (was {options.VideoCrf}).");
        }

        if (!X264Presets.Contains(options.VideoPreset))
        {
            failures.Add($"{nameof(MediaOptions.VideoPreset)} '{options.VideoPreset}' is not an x264 preset; use one of {string.Join(", ", X264Presets)}.");
        }

        if (options.AudioBitrateKbps is < 32 or > 512)
        {
            failures.Add($"{nameof(MediaOptions.AudioBitrateKbps)} must be between 32 and 512 (was {options.AudioBitrateKbps}).");
        }

        AddRange(failures, nameof(MediaOptions.ImageQuality), options.ImageQuality, 1, 100);
        AddRange(failures, nameof(MediaOptions.PreviewStripFrames), options.PreviewStripFrames, 1, 16);
        AddRange(failures, nameof(MediaOptions.PreviewScale), options.PreviewScale, 1, 8);
        AddRange(failures, nameof(MediaOptions.PreviewJpegQuality), options.PreviewJpegQuality, 1, 100);

        if (options.FfmpegFolder.Length > 0 && !Directory.Exists(options.FfmpegFolder))
        {
            failures.Add($"{nameof(MediaOptions.FfmpegFolder)} '{options.FfmpegFolder}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddRange(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{name} must be between {min} and {max} (was {value}).");
        }
    }
}
