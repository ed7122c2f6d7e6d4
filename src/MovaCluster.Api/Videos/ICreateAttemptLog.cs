namespace MovaCluster.Api.Videos;

/// <summary>
/// Creates without an Idempotency-Key that are in flight or ended in doubt, per tenant and request fingerprint, each
/// under the implicit key it was given (see <see cref="ImplicitIdempotency"/>). Entries live for a window.
/// </summary>
public interface ICreateAttemptLog
{
    /// <summary>
    /// Atomically takes over an earlier attempt of this request (one that ended in doubt; or, when
    /// <paramref name="retrySignalled"/>, also one still marked in flight, whose gateway may have died) and returns its
    /// key, or else records <paramref name="freshKey"/> as in flight and returns it.
    /// </summary>
    Task<string> BeginAsync(string tenantId, string fingerprint, string freshKey, bool retrySignalled, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The attempt under <paramref name="key"/> got a definite answer: forget it.</summary>
    Task ForgetAsync(string tenantId, string fingerprint, string key, CancellationToken cancellationToken);

    /// <summary>The attempt under <paramref name="key"/> ended without knowing whether the video was created.</summary>
    Task MarkInDoubtAsync(string tenantId, string fingerprint, string key, TimeSpan window, CancellationToken cancellationToken);
}
