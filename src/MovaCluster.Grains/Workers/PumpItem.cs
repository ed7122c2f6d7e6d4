using MovaCluster.Contracts.Progress;
using MovaCluster.Execution.Checkpoints;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Something the device thread hands to the progress pump: an event to publish, a checkpoint to store, or latents
/// to render into a preview event.
/// </summary>
internal sealed record PumpItem(JobEvent? Event, DenoiseCheckpoint? Checkpoint, PendingPreview? Preview);
