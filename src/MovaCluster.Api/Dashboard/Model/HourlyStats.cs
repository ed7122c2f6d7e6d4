namespace MovaCluster.Api.Dashboard.Model;

/// <summary>What finished or started in one clock hour, as this gateway observed it.</summary>
public sealed record HourlyStats
{
    public DateTimeOffset Hour { get; init; }

    public int Completed { get; init; }

    public int Failed { get; init; }

    public int Cancelled { get; init; }

    public double? WaitP50Seconds { get; init; }

    public double? WaitP95Seconds { get; init; }

    public double? SecondsPerStep { get; init; }
}
