namespace MovaCluster.Api.Dashboard.Model;

/// <summary>A silo as the membership table and its runtime statistics describe it.</summary>
public sealed record DashboardSilo
{
    public required string Name { get; init; }

    public required string Address { get; init; }

    public string Host { get; init; } = "";

    /// <summary>Membership status: Active, Joining, ShuttingDown, Dead, ...</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset LastAlive { get; init; }

    public int? Activations { get; init; }

    public double? CpuPercent { get; init; }

    public long? MemoryBytes { get; init; }

    public bool? Overloaded { get; init; }
}
