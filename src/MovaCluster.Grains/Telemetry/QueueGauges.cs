using System.Diagnostics.Metrics;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Telemetry;

/// <summary>
/// The queue grain's latest committed contents, kept for the metric exporters: the grain publishes after every
/// commit (cheap: an array swap), the gauges group it when scraped.
/// </summary>
public sealed class QueueGauges(TimeProvider time)
{
    private volatile Holding _holding = new([], []);

    /// <summary>Replaces the view with the queue's current waiting and running tickets.</summary>
    public void Publish(IEnumerable<JobTicket> queued, IEnumerable<JobTicket> running) =>
        _holding = new Holding([.. queued], [.. running]);

    internal IEnumerable<Measurement<int>> DepthByPriorityAndTenant() =>
        _holding.Queued
            .GroupBy(ticket => (ticket.Priority, ticket.TenantId))
            .Select(group => new Measurement<int>(group.Count(),
                new KeyValuePair<string, object?>("priority", MovaMetrics.PriorityName(group.Key.Priority)),
                new KeyValuePair<string, object?>("tenant", group.Key.TenantId)));

    internal IEnumerable<Measurement<int>> RunningByTenant() =>
        _holding.Running
            .GroupBy(ticket => ticket.TenantId, StringComparer.Ordinal)
            .Select(group => new Measurement<int>(group.Count(), new KeyValuePair<string, object?>("tenant", group.Key)));

    internal IEnumerable<Measurement<int>> DepthByModelAndResolution() =>
        ByModelAndResolution().Select(group => new Measurement<int>(group.Count(), Tags(group.Key)));

    internal IEnumerable<Measurement<double>> OldestWaitByModelAndResolution()
    {
        var now = time.GetUtcNow();
        return ByModelAndResolution().Select(group =>
            new Measurement<double>(Math.Max(0, (now - group.Min(ticket => ticket.EnqueuedAt)).TotalSeconds), Tags(group.Key)));
    }

    private IEnumerable<IGrouping<(string Model, string Resolution), JobTicket>> ByModelAndResolution() =>
        _holding.Queued.GroupBy(ticket => (MovaMetrics.ModelTag(ticket.Model), ticket.Resolution));

    private static KeyValuePair<string, object?>[] Tags((string Model, string Resolution) key) =>
        [new("model", key.Model), new("resolution", key.Resolution)];

    private sealed record Holding(JobTicket[] Queued, JobTicket[] Running);
}
