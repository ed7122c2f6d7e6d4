namespace MovaCluster.Grains.Checkpoints;

/// <summary>Where and how long checkpoints are kept in Redis.</summary>
public sealed class RedisCheckpointOptions
{
    /// <summary>Prefix of the checkpoint keys. Default "mova:checkpoint:".</summary>
    public string KeyPrefix { get; set; } = "mova:checkpoint:";

    /// <summary>Checkpoints of abandoned jobs expire after this. Default one day.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);
}
