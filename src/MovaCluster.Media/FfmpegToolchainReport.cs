namespace MovaCluster.Media;

/// <summary>What <see cref="FfmpegToolchain.CheckAsync"/> found: the tools' versions, or what is wrong with them.</summary>
public sealed record FfmpegToolchainReport(string? FfmpegVersion, string? FfprobeVersion, IReadOnlyList<string> Problems)
{
    public bool Usable => Problems.Count == 0;
}
