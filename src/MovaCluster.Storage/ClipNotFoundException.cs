namespace MovaCluster.Storage;

/// <summary>The named clip object does not exist (or is not complete yet).</summary>
public sealed class ClipNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public ClipNotFoundException(string key, Exception? innerException = null)
        : base($"Clip object '{key}' was not found.", innerException) => Key = key;

    /// <summary>Creates the exception without a key.</summary>
    public ClipNotFoundException()
        : base("Clip object was not found.") => Key = "";

    /// <summary>The missing key.</summary>
    public string Key { get; }
}
