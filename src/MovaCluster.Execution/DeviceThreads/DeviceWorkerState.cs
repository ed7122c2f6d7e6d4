namespace MovaCluster.Execution.DeviceThreads;

/// <summary>Where a device worker is in building its executor.</summary>
public enum DeviceWorkerState
{
    /// <summary>Not asked to start yet (the silo is not active yet).</summary>
    NotStarted,

    /// <summary>Building its executor: loading the model onto the device.</summary>
    Loading,

    /// <summary>Its executor is built; the worker registers and takes jobs.</summary>
    Ready,

    /// <summary>Its executor could not be built; it takes no jobs.</summary>
    Failed,
}
