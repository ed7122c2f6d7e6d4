namespace MovaCluster.Contracts.Progress;

/// <summary>A cheap look at the clip as it forms: an image strip of a few frames and optionally audio.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobPreviewEvent")]
public sealed record JobPreviewEvent : JobEvent
{
    [Id(0)] public int Step { get; init; }

    /// <summary>Encoded image strip (see <see cref="ImageContentType"/>).</summary>
    [Id(1)] public byte[] Image { get; init; } = [];

    [Id(2)] public string ImageContentType { get; init; } = "image/jpeg";

    /// <summary>Optional short audio preview (mono PCM float samples).</summary>
    [Id(3)] public float[]? Audio { get; init; }

    [Id(4)] public int AudioSampleRate { get; init; }
}
