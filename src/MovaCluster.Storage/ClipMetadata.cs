namespace MovaCluster.Storage;

/// <summary>What a stored clip object says about itself.</summary>
/// <param name="JobId">The generation job that produced it.</param>
/// <param name="Model">The model (e.g. <c>mova-360p</c>).</param>
/// <param name="Seed">The sampling seed.</param>
/// <param name="Duration">Playback length of the clip.</param>
/// <param name="ContentType">Media type, e.g. <c>video/mp4</c>.</param>
public sealed record ClipMetadata(string JobId, string Model, long Seed, TimeSpan Duration, string ContentType = "video/mp4");
