namespace MovaCluster.Grains.Jobs;

/// <summary>
/// A job's reference image, persisted apart from <see cref="JobState"/>: written once at submission, read only when a
/// worker starts an attempt, and cleared when the job finishes, so neither the job's many state writes nor its
/// snapshots (status reads, the dashboard) carry up to 8 MiB each.
/// </summary>
[GenerateSerializer, Alias("MovaCluster.Grains.JobReferenceImage")]
public sealed class JobReferenceImage
{
    /// <summary>Encoded PNG or JPEG, as submitted; null when the job has none.</summary>
    [Id(0)] public byte[]? Bytes { get; set; }
}
