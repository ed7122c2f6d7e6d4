namespace MovaCluster.Storage;

/// <summary>A byte range of an object: <paramref name="Offset"/> and an optional <paramref name="Length"/> (to the end when null).</summary>
public sealed record ByteRange(long Offset, long? Length = null)
{
    /// <summary>Throws when the range is negative or empty.</summary>
    public void Validate()
    {
        if (Offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "A range cannot start before the object.");
        }

        if (Length is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Length), Length, "A range must contain at least one byte.");
        }
    }

    /// <summary>The HTTP Range header value, e.g. <c>bytes=100-199</c>.</summary>
    public string ToHeaderValue() => Length is { } length ? $"bytes={Offset}-{Offset + length - 1}" : $"bytes={Offset}-";
}
