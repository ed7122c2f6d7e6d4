using System.Text.RegularExpressions;

namespace MovaCluster.Storage;

/// <summary>
/// Names one stored object of a clip: the tenant that owns it, the clip, and the variant (for example
/// <c>video.mp4</c>, <c>thumbnail.jpg</c>, <c>spritesheet.jpg</c>). Every part is checked so that a tenant can never
/// address another tenant's keys.
/// </summary>
public sealed partial record ClipObjectName
{
    /// <summary>Creates a name; throws <see cref="ArgumentException"/> for parts that are not safe key segments.</summary>
    public ClipObjectName(string tenant, string clipId, string variant)
    {
        Tenant = Check(tenant, nameof(tenant), SegmentPattern());
        ClipId = Check(clipId, nameof(clipId), SegmentPattern());
        Variant = Check(variant, nameof(variant), VariantPattern());
    }

    /// <summary>Owning tenant.</summary>
    public string Tenant { get; }

    /// <summary>Clip (job) identifier.</summary>
    public string ClipId { get; }

    /// <summary>Variant file name within the clip.</summary>
    public string Variant { get; }

    /// <summary>The object key of the completed object.</summary>
    public string Key => $"{ClipPrefix(Tenant, ClipId)}{Variant}";

    /// <summary>The key prefix under which all completed objects of a tenant live.</summary>
    public static string TenantPrefix(string tenant) => $"tenants/{Check(tenant, nameof(tenant), SegmentPattern())}/clips/";

    /// <summary>The key prefix of all completed variants of one clip.</summary>
    public static string ClipPrefix(string tenant, string clipId) =>
        $"{TenantPrefix(tenant)}{Check(clipId, nameof(clipId), SegmentPattern())}/";

    /// <summary>The prefix of a tenant's uploads in progress, which listings of completed clips never see.</summary>
    public static string UploadPrefix(string tenant) => $"tenants/{Check(tenant, nameof(tenant), SegmentPattern())}/uploads/";

    /// <summary>Parses a completed object key back into a name; null when the key is not one.</summary>
    public static ClipObjectName? TryParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        if (parts.Length != 5 || parts[0] != "tenants" || parts[2] != "clips")
        {
            return null;
        }

        return SegmentPattern().IsMatch(parts[1]) && SegmentPattern().IsMatch(parts[3]) && VariantPattern().IsMatch(parts[4])
            ? new ClipObjectName(parts[1], parts[3], parts[4])
            : null;
    }

    /// <inheritdoc />
    public override string ToString() => Key;

    private static string Check(string value, string name, Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (!pattern.IsMatch(value))
        {
            throw new ArgumentException($"'{value}' is not a valid {name}: use 1-128 characters from a-z, A-Z, 0-9, '-', '_' (and '.' inside variant names).", name);
        }

        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex VariantPattern();
}
