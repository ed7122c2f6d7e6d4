namespace MovaCluster.Storage.Objects;

/// <summary>An object in an <see cref="IObjectStore"/>.</summary>
public sealed record StoredObject(string Key, long Size);
