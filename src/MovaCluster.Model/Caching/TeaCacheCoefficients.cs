using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The TeaCache rescaling polynomials of one checkpoint, one per video expert, stored next to the checkpoint as
/// <c>teacache.json</c> (see <see cref="Save"/> for the format). Produced by <see cref="TeaCacheFitter"/> from uncached
/// runs; a worker's executor loads them with <see cref="TryLoad"/> and step-level caching is only offered for the experts
/// they cover.
/// </summary>
public sealed class TeaCacheCoefficients
{
    /// <summary>File name inside the checkpoint folder.</summary>
    public const string FileName = "teacache.json";

    /// <summary>Value of the file's <c>format</c> field.</summary>
    public const string Format = "mova-teacache/1";

    private const string SignalText =
        "relative L1 change of the time modulation t_mod between consecutive steps of one CFG branch (max over the video and audio towers)";

    private const string TargetText =
        "relative L1 change of the layer stack's residual (output - input tokens) between the same steps (max over the video and audio towers)";

    private readonly Dictionary<VideoExpert, TeaCachePolynomial> _experts;

    public TeaCacheCoefficients(IReadOnlyDictionary<VideoExpert, TeaCachePolynomial> experts, TeaCacheCalibrationInfo? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(experts);
        if (experts.Count == 0)
        {
            throw new ArgumentException("TeaCache coefficients need at least one expert.", nameof(experts));
        }

        _experts = new Dictionary<VideoExpert, TeaCachePolynomial>(experts);
        Calibration = calibration;
    }

    public IReadOnlyDictionary<VideoExpert, TeaCachePolynomial> Experts => _experts;

    public TeaCacheCalibrationInfo? Calibration { get; }

    /// <summary>The polynomial of <paramref name="expert"/>, or null when it was not calibrated.</summary>
    public TeaCachePolynomial? For(VideoExpert expert) => _experts.GetValueOrDefault(expert);

    /// <summary>Loads <c>teacache.json</c> from a checkpoint folder; null when the folder has none.</summary>
    public static TeaCacheCoefficients? TryLoad(string checkpointFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointFolder);
        var path = Path.Combine(checkpointFolder, FileName);
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>Reads a coefficients file; a malformed one throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static TeaCacheCoefficients Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"TeaCache coefficients '{path}' are not valid JSON: {e.Message}", e);
        }

        try
        {
            return Parse(root);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or KeyNotFoundException or NullReferenceException)
        {
            throw new InvalidDataException($"TeaCache coefficients '{path}' are malformed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <c>teacache.json</c> into <paramref name="checkpointFolder"/> (through a temporary file renamed into place)
    /// and returns its path. Format: <c>format</c> ("mova-teacache/1"); <c>signal</c> and <c>target</c> (what x and y
    /// are); <c>coefficient_order</c> ("highest power first"); <c>experts</c>: an object keyed by the expert's component
    /// folder (<c>video_dit</c>, <c>video_dit_2</c>) whose values hold <c>coefficients</c>, <c>signal_min</c>,
    /// <c>signal_max</c> (the fitted range), <c>samples</c>, <c>rms_error</c> and, as guidance for thresholds, the median
    /// step-to-step changes <c>median_output_change</c> and <c>median_first_layers_change</c>; optional <c>calibration</c>: <c>runs</c>,
    /// <c>samples</c>, <c>created_utc</c> (ISO 8601), <c>source</c>.
    /// </summary>
    public string Save(string checkpointFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointFolder);
        Directory.CreateDirectory(checkpointFolder);
        var path = Path.Combine(checkpointFolder, FileName);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllText(temporary, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return path;
    }

    /// <summary>The file's JSON document.</summary>
    public JsonObject ToJson()
    {
        var experts = new JsonObject();
        foreach (var (expert, polynomial) in _experts.OrderBy(p => p.Key))
        {
            experts[MovaDenoiserLoader.ExpertFolder(expert)] = new JsonObject
            {
                ["coefficients"] = new JsonArray([.. polynomial.Coefficients.Select(c => (JsonNode)JsonValue.Create(c))]),
                ["signal_min"] = polynomial.SignalMin,
                ["signal_max"] = polynomial.SignalMax,
                ["samples"] = polynomial.Samples,
                ["rms_error"] = polynomial.RmsError,
                ["median_output_change"] = polynomial.MedianOutputChange,
                ["median_first_layers_change"] = polynomial.MedianFirstLayersChange,
            };
        }

        var json = new JsonObject
        {
            ["format"] = Format,
            ["signal"] = SignalText,
            ["target"] = TargetText,
            ["coefficient_order"] = "highest power first",
            ["experts"] = experts,
        };
        if (Calibration is { } info)
        {
            json["calibration"] = new JsonObject
            {
                ["runs"] = info.Runs,
                ["samples"] = info.Samples,
                ["created_utc"] = info.CreatedUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                ["source"] = info.Source,
            };
        }

        return json;
    }

    private static TeaCacheCoefficients Parse(JsonNode? root)
    {
        var document = root as JsonObject ?? throw new FormatException("the document is not a JSON object.");
        var format = document["format"]?.GetValue<string>();
        if (format != Format)
        {
            throw new FormatException($"format is '{format}', expected '{Format}'.");
        }

        var experts = document["experts"] as JsonObject ?? throw new FormatException("'experts' is missing or not an object.");
        var parsed = new Dictionary<VideoExpert, TeaCachePolynomial>();
        foreach (var (key, value) in experts)
        {
            var expert = key switch
            {
                "video_dit" => VideoExpert.HighNoise,
                "video_dit_2" => VideoExpert.LowNoise,
                _ => throw new FormatException($"unknown expert '{key}' (expected video_dit or video_dit_2)."),
            };
            var entry = value as JsonObject ?? throw new FormatException($"expert '{key}' is not an object.");
            var coefficients = (entry["coefficients"] as JsonArray ?? throw new FormatException($"expert '{key}' has no coefficients array."))
                .Select(c => c!.GetValue<double>())
                .ToList();
            parsed[expert] = new TeaCachePolynomial(
                coefficients,
                entry["signal_min"]!.GetValue<double>(),
                entry["signal_max"]!.GetValue<double>(),
                entry["samples"]?.GetValue<int>() ?? 0,
                entry["rms_error"]?.GetValue<double>() ?? 0,
                entry["median_output_change"]?.GetValue<double>(),
                entry["median_first_layers_change"]?.GetValue<double>());
        }

        TeaCacheCalibrationInfo? info = null;
        if (document["calibration"] is JsonObject calibration)
        {
            info = new TeaCacheCalibrationInfo(
                calibration["runs"]?.GetValue<int>() ?? 0,
                calibration["samples"]?.GetValue<int>() ?? 0,
                DateTimeOffset.Parse(calibration["created_utc"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                calibration["source"]?.GetValue<string>());
        }

        return new TeaCacheCoefficients(parsed, info);
    }
}
