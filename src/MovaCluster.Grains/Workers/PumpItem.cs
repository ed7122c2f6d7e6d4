using MovaCluster.Contracts.Progress;
using MovaCluster.Model.Execution;

namespace MovaCluster.Grains.Workers;

/// <summary>Something the device thread hands to the progress pump: an event to publish or a checkpoint to store.</summary>
internal sealed record PumpItem(JobEvent? Event, DenoiseCheckpoint? Checkpoint);
