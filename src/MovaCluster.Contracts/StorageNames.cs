namespace MovaCluster.Contracts;

/// <summary>Names of the grain storage providers the grains persist to.</summary>
public static class StorageNames
{
    /// <summary>Job grains: request, status, timestamps, checkpoint pointer.</summary>
    public const string Jobs = "jobs";

    /// <summary>The dispatch queue: queued tickets, running leases, tenant shares.</summary>
    public const string Queue = "queue";

    /// <summary>LoRA registries: adapter names per scope, the default set, content waiting to be deleted.</summary>
    public const string Loras = "loras";

    /// <summary>Orleans stream subscriptions (the stream runtime's own store name).</summary>
    public const string PubSub = "PubSubStore";
}
