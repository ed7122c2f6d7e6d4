namespace MovaCluster.Api.Dashboard.Model;

/// <summary>Waiting and running jobs of one tenant in one priority class.</summary>
public sealed record QueueDepthRow(string Tenant, string Priority, int Queued, int Running);
