namespace MovaCluster.Execution.Publishing;

/// <summary>Where <see cref="RawClipPublisher"/> writes clips (section <see cref="SectionName"/>).</summary>
public sealed class RawClipPublisherOptions
{
    public const string SectionName = "Mova:RawClips";

    /// <summary>Folder for the clips. Default: "mova-clips" in the system temp folder.</summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "mova-clips");
}
