namespace MovaCluster.Api.Loras;

/// <summary>An adapter a video runs with, as its video object reports it (in the order applied).</summary>
public sealed record VideoLora(string Name, double Strength, string Digest);
