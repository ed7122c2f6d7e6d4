using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Testing;

namespace MovaCluster.Model.Tests.Support;

/// <summary>
/// The mova-tiny golden set: <c>MOVA_GOLDENS</c> if set, else <c>&lt;repo root&gt;/../shared/goldens/mova-tiny</c>.
/// A missing folder is a test failure, never a skip.
/// </summary>
public static class GoldenSet
{
    private static readonly Lazy<string> LazyRoot = new(() => RepositoryPaths.MovaGoldens);
    private static readonly Lazy<JsonDocument> LazyManifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json"))));

    public static string Root => LazyRoot.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static string Component(string name) => Path.Combine(Root, name);

    public static IEnumerable<string> CaseNames => Manifest.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static JsonElement CaseEntry(string name) => Manifest.GetProperty("cases").GetProperty(name);

    public static SafetensorsFile OpenCase(string name) =>
        SafetensorsFile.Open(Path.Combine(Root, CaseEntry(name).GetProperty("file").GetString()!));
}
