namespace MovaCluster.Storage.Objects;

/// <summary>
/// Plain objects by key in the clip store's bucket or folder (LoRA adapter files, say), beside the clips. Keys are
/// relative, '/'-separated and checked by <see cref="ObjectKey"/>. A put is atomic: readers see the whole object or
/// none of it.
/// </summary>
public interface IObjectStore
{
    /// <summary>Stores <paramref name="content"/> (seekable; read from its position to the end) under <paramref name="key"/>, replacing any object.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Writes the object into <paramref name="destination"/> (seekable: a retried download starts it over).</summary>
    Task DownloadAsync(string key, Stream destination, CancellationToken cancellationToken);

    /// <summary>The object's size, or null when there is none.</summary>
    Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken);

    /// <summary>The objects under <paramref name="prefix"/> (a key ending in '/'), at any depth.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes one object; deleting a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
