namespace MovaCluster.Contracts.Jobs;

/// <summary>Priority classes; a higher class is always dispatched before a lower one.</summary>
[GenerateSerializer, Alias("MovaCluster.JobPriority")]
public enum JobPriority
{
    /// <summary>A user is watching the previews.</summary>
    Interactive = 0,

    /// <summary>The default class.</summary>
    Standard = 1,

    /// <summary>Offline work that runs when nothing else waits.</summary>
    Batch = 2,
}
