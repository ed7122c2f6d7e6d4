namespace MovaCluster.Api.Dashboard;

/// <summary>The latest preview image strip of a job.</summary>
public sealed record PreviewStrip(long Sequence, int Step, byte[] Image, string ContentType);
