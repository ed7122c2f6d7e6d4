using System.Text.Json;
using System.Text.Json.Serialization;

namespace MovaCluster.Model.Caching;

/// <summary>
/// What a TeaCache calibration runs, read from a JSON file:
/// <c>{"degree": 4, "runs": [{"prompt": "...", "width": 640, "height": 352, "frames": 193, "steps": 50, "cfg_scale": 5.0,
/// "seed": 42, "fps": 24, "negative_prompt": "...", "image": "ref.png"}]}</c> (only prompt, width and height are required;
/// the others default to the official script's values). A few prompts at the sizes and step counts the worker serves
/// are enough: the fit needs the step-to-step changes, which depend on the schedule more than on the prompt.
/// </summary>
public sealed record TeaCacheCalibrationPlan
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public required IReadOnlyList<TeaCacheCalibrationRun> Runs { get; init; }

    /// <summary>Polynomial degree (default 4, TeaCache's).</summary>
    public int Degree { get; init; } = TeaCacheFitter.DefaultDegree;

    /// <summary>Folder that relative image paths are resolved against (the plan file's folder when loaded).</summary>
    [JsonIgnore]
    public string BaseFolder { get; init; } = Environment.CurrentDirectory;

    /// <summary>Reads and validates a plan file.</summary>
    public static TeaCacheCalibrationPlan Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TeaCacheCalibrationPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<TeaCacheCalibrationPlan>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Calibration plan '{path}' is not valid: {e.Message}", e);
        }

        if (plan is null)
        {
            throw new InvalidDataException($"Calibration plan '{path}' is empty.");
        }

        plan = plan with { BaseFolder = Path.GetDirectoryName(Path.GetFullPath(path))! };
        var errors = plan.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"Calibration plan '{path}' is invalid: {string.Join(" ", errors)}");
        }

        return plan;
    }

    /// <summary>Every problem with the plan (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Runs is not { Count: > 0 })
        {
            errors.Add("the plan has no runs.");
            return errors;
        }

        if (Degree < 1)
        {
            errors.Add($"degree must be at least 1 (got {Degree}).");
        }

        for (var i = 0; i < Runs.Count; i++)
        {
            var run = Runs[i];
            if (string.IsNullOrWhiteSpace(run.Prompt))
            {
                errors.Add($"run {i}: prompt is empty.");
            }

            if (run.Steps < 3)
            {
                errors.Add($"run {i}: steps must be at least 3 to give step-to-step changes (got {run.Steps}).");
            }

            if (run.CfgScale < 1)
            {
                errors.Add($"run {i}: cfg_scale must be at least 1 (got {run.CfgScale}).");
            }
        }

        return errors;
    }
}
