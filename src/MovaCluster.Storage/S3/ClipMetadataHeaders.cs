using System.Globalization;

namespace MovaCluster.Storage.S3;

/// <summary>Maps <see cref="ClipMetadata"/> to S3 user metadata (<c>x-amz-meta-mova-*</c>) and back.</summary>
internal static class ClipMetadataHeaders
{
    private const string UserPrefix = "x-amz-meta-";
    private const string JobId = "mova-job-id";
    private const string Model = "mova-model";
    private const string Seed = "mova-seed";
    private const string DurationMs = "mova-duration-ms";

    public static Dictionary<string, string> ToHeaders(ClipMetadata metadata) => new(StringComparer.OrdinalIgnoreCase)
    {
        [UserPrefix + JobId] = metadata.JobId,
        [UserPrefix + Model] = metadata.Model,
        [UserPrefix + Seed] = metadata.Seed.ToString(CultureInfo.InvariantCulture),
        [UserPrefix + DurationMs] = metadata.Duration.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture),
    };

    public static ClipMetadata FromObject(string key, IReadOnlyDictionary<string, string> metadata, string contentType)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in metadata)
        {
            values[name.StartsWith(UserPrefix, StringComparison.OrdinalIgnoreCase) ? name[UserPrefix.Length..] : name] = value;
        }

        string Required(string name) => values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidDataException($"Object '{key}' lacks the '{UserPrefix}{name}' metadata every stored clip carries.");

        return new ClipMetadata(
            Required(JobId),
            Required(Model),
            long.Parse(Required(Seed), CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(double.Parse(Required(DurationMs), CultureInfo.InvariantCulture)),
            contentType);
    }
}
