namespace MovaCluster.Contracts;

/// <summary>Stream provider and namespace names shared by silos and clients.</summary>
public static class StreamNames
{
    /// <summary>The stream provider carrying job progress.</summary>
    public const string Provider = "mova";

    /// <summary>Namespace of the per-job progress streams; the stream key is the job id.</summary>
    public const string JobEvents = "job-events";
}
