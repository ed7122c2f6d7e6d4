namespace MovaCluster.Api.Dashboard;

/// <summary>The operator dashboard at /dashboard (section <see cref="SectionName"/>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Mova:Dashboard";

    /// <summary>How often the gateway samples the cluster and pushes a frame to open dashboards. Default 1 s.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most jobs shown in the jobs table (running first, then in dispatch order). Default 100.</summary>
    public int MaxJobs { get; set; } = 100;

    /// <summary>Finished jobs kept in the table below the active ones. Default 20.</summary>
    public int RecentFinishedJobs { get; set; } = 20;

    /// <summary>Hours of history in the charts (jobs per hour, wait percentiles, seconds per step). Default 12.</summary>
    public int ChartHours { get; set; } = 12;
}
