namespace MovaCluster.Contracts.Queue;

/// <summary>A job the queue holds: waiting (with its place in line) or running on a worker.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.QueueEntry")]
public sealed record QueueEntry
{
    [Id(0)] public required JobTicket Ticket { get; init; }

    [Id(1)] public bool Running { get; init; }

    /// <summary>Jobs ahead of it (queued jobs only).</summary>
    [Id(2)] public int? Position { get; init; }

    /// <summary>Worker holding the job (running jobs only).</summary>
    [Id(3)] public string? WorkerId { get; init; }

    [Id(4)] public int Attempt { get; init; }
}
