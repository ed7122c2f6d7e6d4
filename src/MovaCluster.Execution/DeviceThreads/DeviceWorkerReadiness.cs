namespace MovaCluster.Execution.DeviceThreads;

/// <summary>A local device worker's state, with the model it serves once ready or why it failed.</summary>
public sealed record DeviceWorkerReadiness(string Device, DeviceWorkerState State, string? Model = null, string? Error = null);
