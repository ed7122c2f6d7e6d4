using System.Globalization;
using MovaCluster.Execution.TestDevices.Synthetic;

namespace MovaCluster.Silo.Tests.Faults;

/// <summary>
/// Settings of the silo process clusters of the fault tests: the synthetic device (no model; steps take
/// <c>stepDelay</c>), frequent checkpoints and heartbeats, and fast failure detection.
/// </summary>
public static class ProcessClusterSettings
{
    public const int CheckpointEvery = 4;

    /// <summary>
    /// <see cref="Synthetic"/> with room for the API's small videos, and the gateway's catalog routing mova-tiny to the
    /// synthetic devices: for tests that go through a gateway.
    /// </summary>
    public static Dictionary<string, string> SyntheticServingMovaTiny(TimeSpan stepDelay)
    {
        var settings = Synthetic(stepDelay);
        settings["Mova__Execution__Synthetic__MaxVolume"] = "100000";
        settings["Mova__Gateway__Models__mova-tiny__WorkerModel"] = SyntheticGenerationExecutor.ModelName;
        return settings;
    }

    public static Dictionary<string, string> Synthetic(TimeSpan stepDelay) => new()
    {
        ["Mova__Execution__Executor"] = "Synthetic",
        ["Mova__Execution__Synthetic__StepDelay"] = stepDelay.ToString("c", CultureInfo.InvariantCulture),
        ["Mova__Execution__Synthetic__MaxVolume"] = "16384",
        ["Mova__Worker__CheckpointEverySteps"] = CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        ["Mova__Worker__PreviewEverySteps"] = "4",
        ["Mova__Worker__HeartbeatInterval"] = "00:00:00.500",
        ["Mova__Queue__LeaseTimeout"] = "00:00:15",
        ["Mova__Queue__LeaseCheckInterval"] = "00:00:01",
        ["Mova__Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["Mova__Cluster__Membership__NumMissedProbesLimit"] = "2",
        ["Mova__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
        ["Mova__Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Mova__Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
    };
}
