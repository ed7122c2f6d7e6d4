namespace MovaCluster.Storage.Objects;

/// <summary>The object does not exist.</summary>
public sealed class StoredObjectNotFoundException : Exception
{
    public StoredObjectNotFoundException(string key, Exception? innerException = null)
        : base($"Object '{key}' was not found.", innerException) => Key = key;

    public StoredObjectNotFoundException()
        : base("Object was not found.") => Key = "";

    public StoredObjectNotFoundException(string message, string key)
        : base(message) => Key = key;

    /// <summary>The missing key.</summary>
    public string Key { get; }
}
