using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Testing;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>
/// The LoRA golden set: <c>MOVA_LORA_GOLDENS</c> if set, else <c>../shared/goldens/mova-tiny-lora</c>. Its manifest
/// names the base set (<c>base_set</c>), found beside it, else at <c>MOVA_GOLDENS</c>. Everything a test expects
/// comes from these two manifests and the base set's configs.
/// </summary>
public static class LoraGoldenSet
{
    private static readonly Lazy<string> LazyRoot = new(() => RepositoryPaths.LoraGoldens);
    private static readonly Lazy<JsonDocument> LazyManifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));
    private static readonly Lazy<string> LazyBase = new(FindBase);

    public static string Root => LazyRoot.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    /// <summary>The base set's folder (a checkpoint-style folder the real loader reads).</summary>
    public static string BaseRoot => LazyBase.Value;

    public static JsonElement Adapter => Manifest.GetProperty("adapter");

    public static IEnumerable<string> CaseNames => Manifest.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static JsonElement CaseEntry(string name) => Manifest.GetProperty("cases").GetProperty(name);

    /// <summary>Single steps with and without the adapter: found by their tensors, never by name.</summary>
    public static IReadOnlyList<string> StepCases =>
        [.. CaseNames.Where(n => new[] { "input.visual_latents", "input.audio_latents", "input.context", "output.lora.visual" }
            .All(t => CaseEntry(n).GetProperty("tensors").TryGetProperty(t, out _)))];

    public static SafetensorsFile OpenCase(string name) =>
        SafetensorsFile.Open(Path.Combine(Root, CaseEntry(name).GetProperty("file").GetString()!));

    /// <summary>Every adapter folder under adapters/ (one per format).</summary>
    public static IReadOnlyList<string> AdapterFolders =>
        [.. Directory.GetDirectories(Path.Combine(Root, "adapters")).Order(StringComparer.Ordinal)];

    /// <summary>The manifest's injected layers as full names (<c>video_dit.blocks.0.self_attn.q</c>).</summary>
    public static SortedSet<string> InjectedLayers()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var component in Adapter.GetProperty("injected_layers").EnumerateObject())
        {
            foreach (var layer in component.Value.EnumerateArray())
            {
                names.Add(component.Name + "." + layer.GetString());
            }
        }

        return names;
    }

    /// <summary>A property of <see cref="Adapter"/> whose name starts with <paramref name="prefix"/> (the manifest annotates some names).</summary>
    public static JsonElement AdapterProperty(string prefix) =>
        Adapter.EnumerateObject().Single(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).Value;

    private static string FindBase()
    {
        var baseSet = Manifest.GetProperty("base_set").GetString()!;
        var beside = Path.GetFullPath(Path.Combine(Root, "..", baseSet));
        var folder = File.Exists(Path.Combine(beside, "manifest.json")) ? beside : RepositoryPaths.MovaGoldens;
        using var baseManifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        if (Manifest.TryGetProperty("config_name", out var ours) && baseManifest.RootElement.TryGetProperty("config_name", out var theirs))
        {
            Assert.True(
                ours.GetString() == theirs.GetString(),
                $"The LoRA set {Root} is built on '{baseSet}' (config '{ours}') but the base set found at {folder} has config '{theirs}'.");
        }

        return folder;
    }
}
