namespace MovaCluster.Execution;

/// <summary>
/// Host copies of the latents a step preview is drawn from: a few evenly spaced video latent frames
/// [channels, frames, height, width] in the sampler's normalised space, and the audio latent [channels, frames].
/// Rendering happens off the device thread.
/// </summary>
public sealed record PreviewLatents(LatentBuffer Video, LatentBuffer Audio, double AudioFramesPerSecond);
