using MovaCluster.Execution;

namespace MovaCluster.Grains.Workers;

/// <summary>Latents captured after <see cref="Step"/> at <see cref="CapturedAt"/>, waiting to be rendered off the device thread.</summary>
internal sealed record PendingPreview(int Step, PreviewLatents Latents, DateTimeOffset CapturedAt);
