using System.Collections.Concurrent;
using MovaCluster.Api.Webhooks;

namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>The real webhook watch list, with an injectable failure around adding, and a record of what it holds.</summary>
public sealed class FaultyWebhookWatchList(IWebhookWatchList inner, CreateFaults faults) : IWebhookWatchList
{
    private readonly ConcurrentDictionary<string, bool> _listed = new(StringComparer.Ordinal);

    public bool Lists(string videoId) => _listed.ContainsKey(videoId);

    public async Task AddAsync(WebhookWatch watch, DateTimeOffset leasedUntil, CancellationToken cancellationToken)
    {
        faults.At(CreateStep.WebhookWatch, afterEffect: false);
        await inner.AddAsync(watch, leasedUntil, cancellationToken);
        _listed[watch.Record.Id] = true;
        faults.At(CreateStep.WebhookWatch, afterEffect: true);
    }

    public Task<IReadOnlyList<WebhookWatch>> ClaimExpiredAsync(DateTimeOffset now, DateTimeOffset leasedUntil, int max, CancellationToken cancellationToken) =>
        inner.ClaimExpiredAsync(now, leasedUntil, max, cancellationToken);

    public Task LeaseAsync(IReadOnlyCollection<string> videoIds, DateTimeOffset leasedUntil, CancellationToken cancellationToken) =>
        inner.LeaseAsync(videoIds, leasedUntil, cancellationToken);

    public async Task RemoveAsync(string videoId, CancellationToken cancellationToken)
    {
        await inner.RemoveAsync(videoId, cancellationToken);
        _listed.TryRemove(videoId, out _);
    }
}
