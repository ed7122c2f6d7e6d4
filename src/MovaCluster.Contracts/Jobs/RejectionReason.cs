namespace MovaCluster.Contracts.Jobs;

/// <summary>Why a submission was refused.</summary>
[GenerateSerializer, Alias("MovaCluster.RejectionReason")]
public enum RejectionReason
{
    None = 0,
    TenantQueuedLimit = 1,
    QueueFull = 2,
    InvalidRequest = 3,
    AlreadyExists = 4,
}
