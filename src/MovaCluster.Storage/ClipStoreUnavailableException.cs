namespace MovaCluster.Storage;

/// <summary>The store kept failing with transient errors until the retries ran out.</summary>
public sealed class ClipStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClipStoreUnavailableException(string operation, int attempts, Exception lastError)
        : base($"Clip store {operation} failed after {attempts} attempts; last error: {lastError?.Message}", lastError)
    {
        Operation = operation;
        Attempts = attempts;
    }

    /// <summary>Creates the exception without details.</summary>
    public ClipStoreUnavailableException()
        : base("The clip store is unavailable.") => Operation = "";

    /// <summary>What was being done, e.g. <c>upload of tenants/a/clips/b/video.mp4</c>.</summary>
    public string Operation { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }
}
