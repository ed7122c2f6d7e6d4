using System.Text.Json;
using MovaCluster.Model.Checkpoints;

namespace MovaCluster.Model.Tests.Support;

/// <summary>The codecs-tiny golden set (Wan VAE, UMT5, tokenizer): MOVA_CODEC_GOLDENS or ../shared/goldens/codecs-tiny.</summary>
public static class CodecGoldenSet
{
    private static readonly Lazy<JsonDocument> LazyManifest =
        new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static string Component(string name) => Path.Combine(Root, name);

    public static IEnumerable<string> CaseNames => Manifest.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static JsonElement CaseEntry(string name) => Manifest.GetProperty("cases").GetProperty(name);

    /// <summary>Names of the cases whose tensor list contains every one of <paramref name="tensors"/>.</summary>
    public static IReadOnlyList<string> CasesWith(params string[] tensors) =>
        [.. CaseNames.Where(name => tensors.All(t => CaseEntry(name).GetProperty("tensors").TryGetProperty(t, out _)))];

    public static SafetensorsFile OpenCase(string name) =>
        SafetensorsFile.Open(Path.Combine(Root, CaseEntry(name).GetProperty("file").GetString()!));

    private static string FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable("MOVA_CODEC_GOLDENS");
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepoRoot(), "..", "shared", "goldens", "codecs-tiny")
            : configured;
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "manifest.json")))
        {
            throw new DirectoryNotFoundException($"codecs-tiny goldens not found at '{root}' (set MOVA_CODEC_GOLDENS to override).");
        }

        return root;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MovaCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No MovaCluster.sln above '{AppContext.BaseDirectory}'.");
    }
}
