namespace MovaCluster.Api.Dashboard.Model;

/// <summary>A row of the jobs table.</summary>
public sealed record DashboardJob
{
    public required string Id { get; init; }

    public string Tenant { get; init; } = "";

    public string Priority { get; init; } = "";

    public string State { get; init; } = "";

    public string Phase { get; init; } = "";

    public string Model { get; init; } = "";

    public string Resolution { get; init; } = "";

    public int Step { get; init; }

    public int Steps { get; init; }

    public int? Position { get; init; }

    /// <summary>Seconds until the job ends (running) or starts (queued), as the runtime estimates it.</summary>
    public double? EtaSeconds { get; init; }

    public double? MillisecondsPerStep { get; init; }

    public string? Worker { get; init; }

    public int Attempt { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool CancelRequested { get; init; }

    public string? Error { get; init; }

    /// <summary>Sequence number of the latest preview strip (fetch it from the preview route), or null.</summary>
    public long? PreviewSequence { get; init; }
}
