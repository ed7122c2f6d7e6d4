namespace MovaCluster.Contracts.Progress;

/// <summary>
/// One event on a job's progress stream. The job grain numbers events 1, 2, 3, ... across all attempts, so a
/// client that reconnects asks for everything after the last sequence number it saw.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobEvent")]
public abstract record JobEvent
{
    [Id(0)] public string JobId { get; init; } = "";

    [Id(1)] public long Sequence { get; init; }

    [Id(2)] public DateTimeOffset Timestamp { get; init; }
}
