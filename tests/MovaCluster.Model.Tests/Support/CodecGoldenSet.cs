using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Testing;

namespace MovaCluster.Model.Tests.Support;

/// <summary>The codec golden set (Wan VAE, UMT5, tokenizer): MOVA_CODEC_GOLDENS or ../shared/goldens/codecs-tiny; cases are found by their tensors, never by name.</summary>
public static class CodecGoldenSet
{
    private static readonly Lazy<JsonDocument> LazyManifest =
        new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));

    private static readonly Lazy<string> LazyRoot = new(() => RepositoryPaths.CodecGoldens);

    public static string Root => LazyRoot.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static string Component(string name) => Path.Combine(Root, name);

    public static IEnumerable<string> CaseNames => Manifest.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static JsonElement CaseEntry(string name) => Manifest.GetProperty("cases").GetProperty(name);

    /// <summary>Names of the cases whose tensor list contains every one of <paramref name="tensors"/>.</summary>
    public static IReadOnlyList<string> CasesWith(params string[] tensors) =>
        [.. CaseNames.Where(name => tensors.All(t => CaseEntry(name).GetProperty("tensors").TryGetProperty(t, out _)))];

    /// <summary>Tokenizer cases: prompts with their expected pieces and ids in a JSON file the case names.</summary>
    public static IReadOnlyList<string> TokenizerCases => [.. CaseNames.Where(n => CaseEntry(n).TryGetProperty("json", out _))];

    /// <summary>The manifest's record of a component (config, files, keys; for the tokenizer its pieces and special ids).</summary>
    public static JsonElement ComponentEntry(string component) => Manifest.GetProperty("components").GetProperty(component);

    public static SafetensorsFile OpenCase(string name) =>
        SafetensorsFile.Open(Path.Combine(Root, CaseEntry(name).GetProperty("file").GetString()!));
}
