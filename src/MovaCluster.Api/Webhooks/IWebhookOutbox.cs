namespace MovaCluster.Api.Webhooks;

/// <summary>
/// Deliveries not yet made, each due at a time. A gateway claims due deliveries for a while (no other gateway sends
/// them meanwhile), then completes, reschedules or releases them; a claim that runs out (its gateway died) makes
/// the delivery due again for any gateway.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>Adds a delivery due at <paramref name="due"/>; a delivery with the same id already waiting is kept as it is.</summary>
    Task AddAsync(WebhookDelivery delivery, DateTimeOffset due, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> deliveries due at <paramref name="now"/>, claimed until <paramref name="claimedUntil"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset claimedUntil, int max, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="delivery"/> (its attempt count) and makes it due at <paramref name="due"/>.</summary>
    Task RescheduleAsync(WebhookDelivery delivery, DateTimeOffset due, CancellationToken cancellationToken);

    /// <summary>Removes a delivery that was made or given up.</summary>
    Task RemoveAsync(string webhookId, CancellationToken cancellationToken);
}
