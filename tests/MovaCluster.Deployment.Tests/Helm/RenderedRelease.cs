using YamlDotNet.RepresentationModel;

namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>The objects <c>helm template</c> rendered, parsed.</summary>
public sealed class RenderedRelease
{
    private RenderedRelease(string text, IReadOnlyList<Manifest> manifests)
    {
        Text = text;
        Manifests = manifests;
    }

    /// <summary>The YAML as helm printed it.</summary>
    public string Text { get; }

    public IReadOnlyList<Manifest> Manifests { get; }

    public static RenderedRelease Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new RenderedRelease(yaml, [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Select(root => new Manifest(root))]);
    }

    public IEnumerable<Manifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    public Manifest Single(string kind) =>
        OfKind(kind).SingleOrDefault() ?? throw new KeyNotFoundException($"Not exactly one {kind} among {string.Join(", ", Manifests)}.");

    public Manifest Single(string kind, string name) =>
        Manifests.SingleOrDefault(m => m.Kind == kind && m.Name == name) ?? throw new KeyNotFoundException($"No {kind}/{name} among {string.Join(", ", Manifests)}.");

    /// <summary>Workloads whose pods the cluster runs (StatefulSets and Deployments).</summary>
    public IEnumerable<Manifest> Workloads => Manifests.Where(m => m.Kind is "StatefulSet" or "Deployment");

    /// <summary>The decoded value of a key of a rendered Secret (<c>data</c> is base64, <c>stringData</c> is not).</summary>
    public string? SecretValue(string secretName, string key)
    {
        var secret = Manifests.SingleOrDefault(m => m.Kind == "Secret" && m.Name == secretName);
        if (secret is null)
        {
            return null;
        }

        if (secret.Root.Text("stringData", key) is { } plain)
        {
            return plain;
        }

        return secret.Root.Text("data", key) is { } encoded ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;
    }
}
