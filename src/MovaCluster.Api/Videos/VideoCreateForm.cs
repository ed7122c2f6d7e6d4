using MovaCluster.Api.Loras;

namespace MovaCluster.Api.Videos;

/// <summary>A create request as received (multipart, form or JSON), before any value is checked.</summary>
public sealed class VideoCreateForm
{
    /// <summary>Scalar fields as invariant text (JSON numbers and booleans keep their literal text).</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields that arrived as JSON numbers or booleans rather than strings (text fields must be strings).</summary>
    public HashSet<string> NonText { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>The reference image's bytes (an uploaded file or a decoded data URL).</summary>
    public byte[]? InputReference { get; set; }

    /// <summary>The <c>lora</c> field's adapters in order; null when the request has no such field (the default set applies).</summary>
    public IReadOnlyList<LoraSelection>? Loras { get; set; }

    public string? Get(string name) => Values.TryGetValue(name, out var value) ? value : null;
}
