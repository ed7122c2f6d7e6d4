namespace MovaCluster.Model.Imaging;

/// <summary>Limits for reference images (configuration section <c>Mova:ReferenceImage</c>).</summary>
public sealed class ReferenceImageOptions
{
    public const string SectionName = "Mova:ReferenceImage";

    /// <summary>Largest accepted encoded file. Default 64 MiB.</summary>
    public long MaxEncodedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest accepted decoded size in pixels. Default 89,478,485 (Pillow's MAX_IMAGE_PIXELS).</summary>
    public long MaxPixels { get; set; } = 89_478_485;

    /// <summary>Every problem with the values (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxEncodedBytes <= 0)
        {
            errors.Add($"{nameof(MaxEncodedBytes)} must be positive (got {MaxEncodedBytes}).");
        }

        if (MaxPixels <= 0)
        {
            errors.Add($"{nameof(MaxPixels)} must be positive (got {MaxPixels}).");
        }

        return errors;
    }
}
