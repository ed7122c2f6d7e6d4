namespace MovaCluster.Api.Webhooks;

/// <summary>
/// The videos some gateway must follow for their webhook, each leased to the gateway following it. A gateway renews
/// the leases of the videos it follows; when one runs out (that gateway stopped or died) any gateway may claim it.
/// </summary>
public interface IWebhookWatchList
{
    /// <summary>Adds a watch leased until <paramref name="leasedUntil"/>; a watch of the same video already listed is kept.</summary>
    Task AddAsync(WebhookWatch watch, DateTimeOffset leasedUntil, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> watches whose lease ran out by <paramref name="now"/>, leased until <paramref name="leasedUntil"/>.</summary>
    Task<IReadOnlyList<WebhookWatch>> ClaimExpiredAsync(DateTimeOffset now, DateTimeOffset leasedUntil, int max, CancellationToken cancellationToken);

    /// <summary>Sets the leases of the listed videos (a renewal, or a hand-back with a time in the past).</summary>
    Task LeaseAsync(IReadOnlyCollection<string> videoIds, DateTimeOffset leasedUntil, CancellationToken cancellationToken);

    /// <summary>Removes the watch of a video whose webhook is in the outbox.</summary>
    Task RemoveAsync(string videoId, CancellationToken cancellationToken);
}
