namespace MovaCluster.Api.Loras;

/// <summary>One file of an upload, under the official name it is stored as.</summary>
public sealed record LoraUploadFile(string StoredName, long Length, Func<Stream> Open);
