namespace MovaCluster.Model.Planning;

public enum ExpertResidency
{
    /// <summary>Both video experts stay on the stage devices.</summary>
    BothResident,

    /// <summary>Only the active expert is on the device; the other is copied in from pinned host memory at the switch.</summary>
    SwapAtSwitch,

    /// <summary>Each stage group holds one expert (expert-stage plans).</summary>
    OnePerGroup,
}
