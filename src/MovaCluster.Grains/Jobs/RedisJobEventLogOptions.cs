namespace MovaCluster.Grains.Jobs;

/// <summary>Where and how long job event logs are kept in Redis.</summary>
public sealed class RedisJobEventLogOptions
{
    /// <summary>Prefix of the per-job list keys. Default "mova:job-events:".</summary>
    public string KeyPrefix { get; set; } = "mova:job-events:";

    /// <summary>A job's log expires this long after its last event. Default one day.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);
}
