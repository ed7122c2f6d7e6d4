namespace MovaCluster.Api.Dashboard.Model;

/// <summary>One push to the dashboard: everything the page shows, sampled at <see cref="SampledAt"/>.</summary>
public sealed record DashboardFrame
{
    public DateTimeOffset SampledAt { get; init; }

    public int Queued { get; init; }

    public int Running { get; init; }

    public int KnownWorkers { get; init; }

    public long Requeued { get; init; }

    public double? MillisecondsPerStep { get; init; }

    public IReadOnlyList<QueueDepthRow> Depth { get; init; } = [];

    public IReadOnlyList<DashboardJob> Jobs { get; init; } = [];

    public IReadOnlyList<DashboardWorker> Workers { get; init; } = [];

    public IReadOnlyList<DashboardSilo> Silos { get; init; } = [];

    public IReadOnlyList<HourlyStats> Hours { get; init; } = [];

    /// <summary>Why a part of the frame is missing (a grain call failed); empty when the sample is complete.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
