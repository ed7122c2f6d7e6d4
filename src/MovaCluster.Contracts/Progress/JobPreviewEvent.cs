namespace MovaCluster.Contracts.Progress;

/// <summary>
/// A look at the clip as it forms, drawn from the live latents: a JPEG strip of a few evenly spaced frames and the
/// audio's loudness envelope (one level per audio latent frame, 50 per second for MOVA).
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobPreviewEvent")]
public sealed record JobPreviewEvent : JobEvent
{
    [Id(0)] public int Step { get; init; }

    /// <summary>Encoded image strip (see <see cref="ImageContentType"/>).</summary>
    [Id(1)] public byte[] Image { get; init; } = [];

    [Id(2)] public string ImageContentType { get; init; } = "image/jpeg";

    /// <summary>Audio envelope levels (RMS over latent channels, per latent frame); null when there is no audio.</summary>
    [Id(3)] public float[]? AudioEnvelope { get; init; }

    /// <summary>Levels per second of <see cref="AudioEnvelope"/>.</summary>
    [Id(4)] public double AudioEnvelopeFramesPerSecond { get; init; }
}
