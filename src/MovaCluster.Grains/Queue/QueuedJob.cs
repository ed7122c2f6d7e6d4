using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>A ticket waiting in line. <see cref="Order"/> is its arrival number and survives requeueing.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.Grains.QueuedJob")]
public sealed record QueuedJob
{
    [Id(0)] public required JobTicket Ticket { get; init; }

    [Id(1)] public long Order { get; init; }

    /// <summary>Dispatches so far; the next one is attempt <c>Attempts + 1</c>.</summary>
    [Id(2)] public int Attempts { get; init; }
}
