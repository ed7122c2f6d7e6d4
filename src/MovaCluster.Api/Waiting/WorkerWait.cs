namespace MovaCluster.Api.Waiting;

/// <summary>
/// A video accepted while no live worker served its model (or had room for it): whose it is, its model and size
/// (width x height x frames), what it would cost, and when its wait is next looked at.
/// </summary>
public sealed record WorkerWait(string VideoId, string TenantId, string Model, long Volume, double Seconds, DateTimeOffset Until);
