namespace MovaCluster.Api.Dashboard.Model;

/// <summary>A device worker, its current job and its utilisation timeline.</summary>
public sealed record DashboardWorker
{
    public required string Id { get; init; }

    public string Device { get; init; } = "";

    public string Silo { get; init; } = "";

    public string Model { get; init; } = "";

    public IReadOnlyList<string> Shards { get; init; } = [];

    public bool OutputIsNoise { get; init; }

    public string? Job { get; init; }

    public string? Phase { get; init; }

    public long JobsRun { get; init; }

    public DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>Busy fraction per bucket over the last ten minutes, oldest first.</summary>
    public IReadOnlyList<double> Utilisation { get; init; } = [];

    public double UtilisationBucketSeconds { get; init; }
}
