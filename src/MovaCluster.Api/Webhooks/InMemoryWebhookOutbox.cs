namespace MovaCluster.Api.Webhooks;

/// <summary>The outbox in this process (the embedded single-process deployment): lost when the process ends.</summary>
public sealed class InMemoryWebhookOutbox : IWebhookOutbox
{
    private readonly Dictionary<string, (WebhookDelivery Delivery, DateTimeOffset Due)> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task AddAsync(WebhookDelivery delivery, DateTimeOffset due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            _pending.TryAdd(delivery.WebhookId, (delivery, due));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset claimedUntil, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var due = _pending.Values.Where(entry => entry.Due <= now).OrderBy(entry => entry.Due).Take(max).Select(entry => entry.Delivery).ToList();
            foreach (var delivery in due)
            {
                _pending[delivery.WebhookId] = (delivery, claimedUntil);
            }

            return Task.FromResult<IReadOnlyList<WebhookDelivery>>(due);
        }
    }

    public Task RescheduleAsync(WebhookDelivery delivery, DateTimeOffset due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            if (_pending.ContainsKey(delivery.WebhookId))
            {
                _pending[delivery.WebhookId] = (delivery, due);
            }
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string webhookId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _pending.Remove(webhookId);
        }

        return Task.CompletedTask;
    }
}
