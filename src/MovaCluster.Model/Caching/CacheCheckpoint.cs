using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The cache part of a resumable sampler state. The cache is <b>rebuilt deterministically</b>, not stored: every cached
/// tensor of a branch comes from that branch's last full pass (its anchor step), so the checkpoint keeps the float32
/// latents that entered each anchor step (at most one pair per branch, usually shared), the step level's scalars and
/// previous time modulations, the settings and TeaCache polynomials used, and the job's totals. On resume the sampler
/// reruns each anchor pass in full (at most one step of work) and continues with exactly the state of the
/// uninterrupted run. Residuals would be 2-3 activations of the whole stack per branch (GBs at 720p); the anchors are
/// latents (tens of MB).
/// </summary>
public sealed class CacheCheckpoint : IDisposable
{
    /// <summary>Safetensors metadata key holding the checkpoint's JSON.</summary>
    public const string MetadataKey = "cache";

    /// <summary>Value of the JSON's <c>format</c> field.</summary>
    public const string Format = "mova-cache-state/1";

    private const string AnchorPrefix = "cache.anchor.";

    internal CacheCheckpoint(
        CacheSettings settings,
        IReadOnlyDictionary<VideoExpert, string> teaCache,
        CacheTotals totals,
        IReadOnlyList<CacheBranchState> branches,
        IReadOnlyDictionary<int, (torch.Tensor Video, torch.Tensor Audio)> anchors)
    {
        Settings = settings;
        TeaCache = teaCache;
        Totals = totals;
        Branches = branches;
        Anchors = anchors;
    }

    public CacheSettings Settings { get; }

    /// <summary>Fingerprints of the TeaCache polynomials the run used, per expert (none when the step level was off).</summary>
    public IReadOnlyDictionary<VideoExpert, string> TeaCache { get; }

    public CacheTotals Totals { get; }

    public IReadOnlyList<CacheBranchState> Branches { get; }

    /// <summary>Latents that entered each anchor step: video [1, 16, T, H, W] and audio [1, C, Ta], float32.</summary>
    public IReadOnlyDictionary<int, (torch.Tensor Video, torch.Tensor Audio)> Anchors { get; }

    /// <summary>Bytes of tensors the cache adds to a checkpoint.</summary>
    public long TensorBytes =>
        Anchors.Values.Sum(a => (a.Video.numel() * a.Video.ElementSize) + (a.Audio.numel() * a.Audio.ElementSize))
        + Branches.Sum(b => (b.SignalVideo?.numel() * b.SignalVideo?.ElementSize ?? 0) + (b.SignalAudio?.numel() * b.SignalAudio?.ElementSize ?? 0));

    /// <summary>Adds the checkpoint's tensors and metadata to a safetensors file being written.</summary>
    public void WriteTo(IDictionary<string, torch.Tensor> tensors, IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (var (step, (video, audio)) in Anchors)
        {
            tensors[$"{AnchorPrefix}{step.ToString(CultureInfo.InvariantCulture)}.video"] = video;
            tensors[$"{AnchorPrefix}{step.ToString(CultureInfo.InvariantCulture)}.audio"] = audio;
        }

        var branches = new JsonArray();
        foreach (var branch in Branches)
        {
            var key = BranchKey(branch.Branch);
            if (branch.SignalVideo is not null && branch.SignalAudio is not null)
            {
                tensors[$"cache.{key}.signal.video"] = branch.SignalVideo;
                tensors[$"cache.{key}.signal.audio"] = branch.SignalAudio;
            }

            branches.Add(new JsonObject
            {
                ["branch"] = key,
                ["expert"] = branch.Expert is { } expert ? MovaDenoiserLoader.ExpertFolder(expert) : null,
                ["anchor_step"] = branch.AnchorStep,
                ["accumulated"] = branch.Accumulated,
                ["consecutive_reuses"] = branch.ConsecutiveReuses,
            });
        }

        var json = new JsonObject
        {
            ["format"] = Format,
            ["settings"] = JsonSerializer.SerializeToNode(Settings),
            ["teacache"] = new JsonObject([.. TeaCache.Select(p => KeyValuePair.Create(MovaDenoiserLoader.ExpertFolder(p.Key), (JsonNode?)p.Value))]),
            ["totals"] = JsonSerializer.SerializeToNode(Totals),
            ["branches"] = branches,
        };
        metadata[MetadataKey] = json.ToJsonString();
    }

    /// <summary>Reads the checkpoint of a sampler-state file onto <paramref name="device"/>; null when the file has none.</summary>
    public static CacheCheckpoint? ReadFrom(SafetensorsFile file, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(device);
        if (!file.Metadata.TryGetValue(MetadataKey, out var text))
        {
            return null;
        }

        var owned = new List<IDisposable>();
        try
        {
            var json = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException("the cache state is not a JSON object.");
            if (json["format"]?.GetValue<string>() != Format)
            {
                throw new InvalidDataException($"the cache state's format is not '{Format}'.");
            }

            var settings = json["settings"].Deserialize<CacheSettings>() ?? throw new InvalidDataException("the cache state has no settings.");
            var totals = json["totals"].Deserialize<CacheTotals>() ?? throw new InvalidDataException("the cache state has no totals.");
            var teaCache = (json["teacache"] as JsonObject ?? [])
                .ToDictionary(p => ExpertOf(p.Key), p => p.Value!.GetValue<string>());
            var branches = new List<CacheBranchState>();
            foreach (var node in json["branches"] as JsonArray ?? throw new InvalidDataException("the cache state has no branches."))
            {
                var entry = (JsonObject)node!;
                var key = entry["branch"]!.GetValue<string>();
                var branch = key switch
                {
                    "positive" => CfgBranch.Positive,
                    "negative" => CfgBranch.Negative,
                    _ => throw new InvalidDataException($"unknown branch '{key}'."),
                };
                var signalVideo = Read(file, $"cache.{key}.signal.video", device, owned);
                var signalAudio = Read(file, $"cache.{key}.signal.audio", device, owned);
                var expert = entry["expert"]?.GetValue<string>() is { } folder ? ExpertOf(folder) : (VideoExpert?)null;
                var state = new CacheBranchState(
                    branch,
                    expert,
                    entry["anchor_step"]!.GetValue<int>(),
                    entry["accumulated"]!.GetValue<double>(),
                    entry["consecutive_reuses"]!.GetValue<int>(),
                    signalVideo,
                    signalAudio);
                branches.Add(state);
                owned.Add(state);
            }

            var anchors = new Dictionary<int, (torch.Tensor, torch.Tensor)>();
            foreach (var step in branches.Select(b => b.AnchorStep).Where(s => s >= 0).Distinct())
            {
                var name = $"{AnchorPrefix}{step.ToString(CultureInfo.InvariantCulture)}";
                var video = Read(file, name + ".video", device, owned) ?? throw new InvalidDataException($"anchor latents of step {step} are missing.");
                var audio = Read(file, name + ".audio", device, owned) ?? throw new InvalidDataException($"anchor latents of step {step} are missing.");
                anchors[step] = (video, audio);
            }

            return new CacheCheckpoint(settings, teaCache, totals, branches, anchors);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException or InvalidCastException)
        {
            owned.ForEach(o => o.Dispose());
            throw new InvalidDataException($"Sampler state '{file.Path}' has a malformed cache state: {e.Message}", e);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var branch in Branches)
        {
            branch.Dispose();
        }

        foreach (var (video, audio) in Anchors.Values)
        {
            video.Dispose();
            audio.Dispose();
        }
    }

    private static string BranchKey(CfgBranch branch) => branch == CfgBranch.Positive ? "positive" : "negative";

    private static VideoExpert ExpertOf(string folder) => folder switch
    {
        "video_dit" => VideoExpert.HighNoise,
        "video_dit_2" => VideoExpert.LowNoise,
        _ => throw new InvalidDataException($"unknown expert '{folder}'."),
    };

    private static torch.Tensor? Read(SafetensorsFile file, string name, torch.Device device, List<IDisposable> owned)
    {
        if (!file.Contains(name))
        {
            return null;
        }

        var tensor = file.Read(name, file.Tensors[name].ScalarType, device);
        owned.Add(tensor);
        return tensor;
    }
}
