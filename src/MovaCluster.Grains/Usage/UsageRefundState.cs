using MovaCluster.Contracts.Usage;

namespace MovaCluster.Grains.Usage;

/// <summary>Persistent state of the refund list: the refunds owed, by job id.</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.UsageRefundState")]
public sealed class UsageRefundState
{
    [Id(0)] public Dictionary<string, UsageRefund> Owed { get; set; } = new(StringComparer.Ordinal);
}
