namespace MovaCluster.Execution.Publishing;

/// <summary>Who a clip belongs to and how it was made, recorded with the stored clip.</summary>
public sealed record ClipPublication(string JobId, string TenantId, string ModelName, long Seed);
