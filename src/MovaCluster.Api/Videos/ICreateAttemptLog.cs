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
    /// <paramref name="retry"/> true (a retry): an attempt that ended in doubt, else one still in flight on a gateway
    /// that died (never one whose gateway lives: its client is still waiting for it); null (the client does not say):
    /// only one that ended in doubt; false (a first try): nothing.
    /// </summary>
    Task<string> BeginAsync(string tenantId, string fingerprint, string freshKey, bool? retry, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>
    /// How long after a gateway dies its attempts in flight can be taken over (zero where this process is the only
    /// gateway, whose attempts in flight always have their clients waiting).
    /// </summary>
    TimeSpan GatewayLapse { get; }

    /// <summary>Whether an attempt of this request other than <paramref name="ownKey"/> is in flight on another gateway.</summary>
    Task<bool> InFlightElsewhereAsync(string tenantId, string fingerprint, string ownKey, CancellationToken cancellationToken);

    /// <summary>The attempt under <paramref name="key"/> got a definite answer: forget it.</summary>
    Task ForgetAsync(string tenantId, string fingerprint, string key, CancellationToken cancellationToken);

    /// <summary>The attempt under <paramref name="key"/> ended without knowing whether the video was created.</summary>
    Task MarkInDoubtAsync(string tenantId, string fingerprint, string key, TimeSpan window, CancellationToken cancellationToken);
}
