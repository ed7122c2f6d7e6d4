namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>The steps of a create after the job grain accepted the job, where a failure can be injected.</summary>
public enum CreateStep
{
    IndexAdd,
    WorkerWait,
    WebhookWatch,

    /// <summary>Removing the index entry, as a failed create's undo does.</summary>
    IndexRemove,
}
