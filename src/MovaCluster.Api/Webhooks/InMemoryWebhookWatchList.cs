namespace MovaCluster.Api.Webhooks;

/// <summary>The watch list in this process (the embedded single-process deployment): lost when the process ends.</summary>
public sealed class InMemoryWebhookWatchList : IWebhookWatchList
{
    private readonly Dictionary<string, (WebhookWatch Watch, DateTimeOffset LeasedUntil)> _watches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task AddAsync(WebhookWatch watch, DateTimeOffset leasedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        lock (_gate)
        {
            _watches.TryAdd(watch.Record.Id, (watch, leasedUntil));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookWatch>> ClaimExpiredAsync(DateTimeOffset now, DateTimeOffset leasedUntil, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expired = _watches.Values.Where(entry => entry.LeasedUntil <= now).Take(max).Select(entry => entry.Watch).ToList();
            foreach (var watch in expired)
            {
                _watches[watch.Record.Id] = (watch, leasedUntil);
            }

            return Task.FromResult<IReadOnlyList<WebhookWatch>>(expired);
        }
    }

    public Task LeaseAsync(IReadOnlyCollection<string> videoIds, DateTimeOffset leasedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        lock (_gate)
        {
            foreach (var id in videoIds)
            {
                if (_watches.TryGetValue(id, out var entry))
                {
                    _watches[id] = (entry.Watch, leasedUntil);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string videoId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _watches.Remove(videoId);
        }

        return Task.CompletedTask;
    }
}
