using System.Text.Json;
using MovaCluster.Model.Checkpoints;

namespace MovaCluster.Model.Tests.Support;

/// <summary>
/// The mova-tiny golden set: <c>MOVA_GOLDENS</c> if set, else <c>&lt;repo root&gt;/../shared/goldens/mova-tiny</c>.
/// A missing folder is a test failure, never a skip.
/// </summary>
public static class GoldenSet
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<JsonDocument> LazyManifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));

    public static string Root => LazyRoot.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static string Component(string name) => Path.Combine(Root, name);

    public static IEnumerable<string> CaseNames => Manifest.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static JsonElement CaseEntry(string name) => Manifest.GetProperty("cases").GetProperty(name);

    public static SafetensorsFile OpenCase(string name) =>
        SafetensorsFile.Open(Path.Combine(Root, CaseEntry(name).GetProperty("file").GetString()!));

    private static string FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable("MOVA_GOLDENS");
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepoRoot(), "..", "shared", "goldens", "mova-tiny")
            : configured;
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "manifest.json")))
        {
            throw new DirectoryNotFoundException($"mova-tiny goldens not found at '{root}' (set MOVA_GOLDENS to override).");
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
