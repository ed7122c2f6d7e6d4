using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Models;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Turns a received form into a <see cref="ValidatedVideoRequest"/> or the first problem as an API error: 400 for
/// missing or mistyped fields and unknown models, 422 for well-formed values the model cannot do (frame counts not
/// 4k+1, limits, prompt length). A size that is not a multiple of 16 is snapped to one (see <see cref="SnapToModelGrid"/>).
/// </summary>
public sealed partial class VideoRequestValidator(IOptions<GatewayOptions> options)
{
    public const int MaxMetadataEntries = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;

    private GatewayOptions Settings => options.Value;

    /// <summary>Validates <paramref name="form"/>; a form without a model gets <paramref name="defaultModel"/> (else <see cref="GatewayOptions.DefaultModel"/>).</summary>
    public ValidatedVideoRequest Validate(VideoCreateForm form, string? defaultModel = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        var prompt = form.Get("prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw Bad("missing_required_parameter", "prompt is required.", "prompt");
        }

        CheckPromptLength(prompt, "prompt");
        var negative = form.Get("negative_prompt");
        if (negative is not null)
        {
            CheckPromptLength(negative, "negative_prompt");
        }

        var modelName = form.Get("model") is { Length: > 0 } requested ? requested : defaultModel ?? Settings.DefaultModel;
        if (!Settings.Models.TryGetValue(modelName, out var model))
        {
            throw Bad("model_not_found", $"Model '{modelName}' does not exist; available: {string.Join(", ", Settings.Models.Keys)}.", "model");
        }

        var (width, height, requestedSize) = ReadSize(form.Get("size"), model);
        var fps = ReadInt(form, "fps") ?? model.DefaultFps;
        if (fps is < 1 or > 60)
        {
            throw Invalid("fps must be between 1 and 60.", "fps");
        }

        var frames = ReadFrames(form, model, fps);
        var steps = ReadInt(form, "num_inference_steps") ?? model.DefaultSteps;
        if (steps < 1 || steps > model.MaxSteps)
        {
            throw Invalid($"num_inference_steps must be between 1 and {model.MaxSteps} for {modelName}.", "num_inference_steps");
        }

        var guidance = ReadDouble(form, "guidance_scale") ?? model.DefaultGuidanceScale;
        if (guidance is < 0 or > 30)
        {
            throw Invalid("guidance_scale must be between 0 and 30.", "guidance_scale");
        }

        var seed = ReadLong(form, "seed");
        if (seed < 0)
        {
            throw Invalid("seed must not be negative.", "seed");
        }

        return new ValidatedVideoRequest
        {
            Model = modelName,
            RequestedSize = requestedSize,
            Generation = new GenerationRequest
            {
                Prompt = prompt,
                NegativePrompt = string.IsNullOrEmpty(negative) ? null : negative,
                Width = width,
                Height = height,
                FrameCount = frames,
                FramesPerSecond = fps,
                Steps = steps,
                Seed = seed,
                GuidanceScale = (float)guidance,
                Model = model.WorkerModel.Length == 0 ? null : model.WorkerModel,
                ReferenceImage = form.InputReference,
            },
            Priority = ReadPriority(form.Get("priority")),
            Metadata = CheckMetadata(form.Metadata),
            WebhookUrl = ReadWebhookUrl(form.Get("webhook_url")),
        };
    }

    private void CheckPromptLength(string text, string param)
    {
        if (text.Length > Settings.MaxPromptCharacters)
        {
            throw Invalid($"{param} is {text.Length} characters long; the limit is {Settings.MaxPromptCharacters}.", param, "string_above_max_length");
        }
    }

    /// <summary>
    /// The nearest multiple of 16 (at least 16), halves rounded down: MOVA's video VAE downsamples by 8 and its
    /// transformer patches 2x2 latents, so the official pipeline needs both sides divisible by 16. 640x360, the MOVA
    /// workflow client's 360p size, becomes 640x352 (the size MOVA's own README and SGLang's preset use).
    /// </summary>
    public static int SnapToModelGrid(int side) => Math.Max(16, (side + 7) / 16 * 16);

    private static (int Width, int Height, string? RequestedSize) ReadSize(string? size, ModelProfile model)
    {
        if (string.IsNullOrEmpty(size))
        {
            return (model.DefaultWidth, model.DefaultHeight, null);
        }

        var match = SizePattern().Match(size);
        if (!match.Success)
        {
            throw Bad("invalid_value", $"size '{size}' is not of the form WIDTHxHEIGHT (e.g. 640x352).", "size");
        }

        var askedWidth = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var askedHeight = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        if (askedWidth == 0 || askedHeight == 0)
        {
            throw Invalid($"size {askedWidth}x{askedHeight}: width and height must be positive.", "size");
        }

        var (width, height) = (SnapToModelGrid(askedWidth), SnapToModelGrid(askedHeight));
        var snapped = width != askedWidth || height != askedHeight ? $" (asked {askedWidth}x{askedHeight}, snapped to multiples of 16)" : "";
        if (Math.Max(width, height) > model.MaxLongSide || Math.Min(width, height) > model.MaxShortSide)
        {
            throw Invalid($"size {width}x{height}{snapped} is larger than the model allows ({model.MaxLongSide}x{model.MaxShortSide} in either orientation).", "size");
        }

        return (width, height, snapped.Length > 0 ? $"{askedWidth}x{askedHeight}" : null);
    }

    private static int ReadFrames(VideoCreateForm form, ModelProfile model, int fps)
    {
        int frames;
        if (ReadInt(form, "num_frames") is { } requested)
        {
            frames = requested;
            if (frames < 1 || (frames - 1) % 4 != 0)
            {
                throw Invalid($"num_frames {frames} must be of the form 4k+1 (e.g. 97, 193): the video VAE compresses time by 4.", "num_frames");
            }
        }
        else
        {
            var seconds = ReadInt(form, "seconds") ?? model.DefaultSeconds;
            if (seconds < 1)
            {
                throw Invalid("seconds must be at least 1.", "seconds");
            }

            frames = (int)Math.Min(int.MaxValue, (long)seconds * fps + 1);
            if ((frames - 1) % 4 != 0)
            {
                throw Invalid($"seconds {seconds} at {fps} fps gives {frames} frames, not of the form 4k+1; choose fps or num_frames so that seconds x fps is a multiple of 4.", "seconds");
            }
        }

        if (frames > model.MaxFrames)
        {
            throw Invalid($"{frames} frames is more than the model allows ({model.MaxFrames}).", form.Values.ContainsKey("num_frames") ? "num_frames" : "seconds");
        }

        return frames;
    }

    private static JobPriority ReadPriority(string? priority) => priority switch
    {
        null or "" or "standard" => JobPriority.Standard,
        "interactive" => JobPriority.Interactive,
        "batch" => JobPriority.Batch,
        _ => throw Invalid($"priority '{priority}' must be interactive, standard or batch.", "priority"),
    };

    private static Dictionary<string, string>? CheckMetadata(Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            throw Invalid($"metadata has {metadata.Count} entries; at most {MaxMetadataEntries} are allowed.", "metadata");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length > MaxMetadataKeyLength || value.Length > MaxMetadataValueLength)
            {
                throw Invalid($"metadata keys are limited to {MaxMetadataKeyLength} and values to {MaxMetadataValueLength} characters ('{key}').", "metadata");
            }
        }

        return metadata;
    }

    private static string? ReadWebhookUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid("webhook_url must be an absolute http(s) URL.", "webhook_url");
        }

        return uri.ToString();
    }

    private static int? ReadInt(VideoCreateForm form, string name)
    {
        var text = form.Get(name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // Clients send "4" or 4.0 for integral values; anything with a fraction is refused.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real == Math.Floor(real) && Math.Abs(real) < int.MaxValue)
        {
            return (int)real;
        }

        throw Bad("invalid_type", $"{name} must be an integer (got '{text}').", name);
    }

    private static long? ReadLong(VideoCreateForm form, string name)
    {
        var text = form.Get(name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad("invalid_type", $"{name} must be an integer (got '{text}').", name);
    }

    private static double? ReadDouble(VideoCreateForm form, string name)
    {
        var text = form.Get(name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Bad("invalid_type", $"{name} must be a number (got '{text}').", name);
    }

    private static ApiErrorException Bad(string code, string message, string param) => new(ApiError.BadRequest(code, message, param));

    private static ApiErrorException Invalid(string message, string param, string code = "invalid_value") =>
        new(ApiError.Unprocessable(code, message, param));

    [GeneratedRegex(@"^\s*(\d{1,5})\s*[xX*]\s*(\d{1,5})\s*$")]
    private static partial Regex SizePattern();
}
