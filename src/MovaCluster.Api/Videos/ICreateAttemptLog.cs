namespace MovaCluster.Api.Videos;

/// <summary>
/// Creates without an Idempotency-Key that are in flight or ended in doubt, per tenant and request fingerprint, each
/// under the implicit key it was given (see <see cref="ImplicitIdempotency"/>). Entries live for a window.
/// </summary>
public interface ICreateAttemptLog
{
    /// <summary>
    /// Atomically takes over an earlier attempt of this request and returns its key, or else records
    /// <paramref name="freshKey"/> as in flight and returns it. What may be taken over depends on what the client says:
    /// <paramref name="retry"/> true (a retry) or null (the client does not say): an attempt that ended in doubt; false (a
    /// first try): nothing. Never an attempt in flight (see <see cref="TakeOrphanAsync"/>).
    /// </summary>
    Task<string> BeginAsync(string tenantId, string fingerprint, string freshKey, bool? retry, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>
    /// How long after a gateway dies its attempts in flight can be taken over (zero where this process is the only
    /// gateway, whose attempts in flight always have their clients waiting).
    /// </summary>
    TimeSpan GatewayLapse { get; }

    /// <summary>Whether an attempt of this request other than <paramref name="ownKey"/> is in flight on another gateway.</summary>
    Task<bool> InFlightElsewhereAsync(string tenantId, string fingerprint, string ownKey, CancellationToken cancellationToken);

    /// <summary>
    /// Takes over an attempt of this request in flight on another gateway that is gone, for a retry that waited
    /// <see cref="GatewayLapse"/> after seeing it (a gateway that could not refresh its presence during a Redis outage
    /// has refreshed it again by then): in flight on this gateway from now on, under the returned key; null if none.
    /// </summary>
    Task<string?> TakeOrphanAsync(string tenantId, string fingerprint, string ownKey, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The attempt under <paramref name="key"/> got a definite answer: forget it.</summary>
    Task ForgetAsync(string tenantId, string fingerprint, string key, CancellationToken cancellationToken);

    /// <summary>The attempt under <paramref name="key"/> ended without knowing whether the video was created.</summary>
    Task MarkInDoubtAsync(string tenantId, string fingerprint, string key, TimeSpan window, CancellationToken cancellationToken);
}
