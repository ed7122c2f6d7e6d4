namespace MovaCluster.Api.Videos;

/// <summary>
/// The attempt log of the embedded single-process deployment. Its only gateway is this process, so an attempt in
/// flight always has its client waiting (one whose client gave up is marked in doubt): a retry takes over only an
/// attempt in doubt.
/// </summary>
public sealed class InMemoryCreateAttemptLog(TimeProvider time) : ICreateAttemptLog
{
    private readonly Dictionary<(string Tenant, string Fingerprint), Dictionary<string, (bool InDoubt, DateTimeOffset Expires)>> _attempts = [];

    public Task<string> BeginAsync(string tenantId, string fingerprint, string freshKey, bool? retry, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_attempts)
        {
            var entries = Entries(tenantId, fingerprint, now);
            var pick = (retry != false ? entries.FirstOrDefault(e => e.Value.InDoubt).Key : null) ?? freshKey;
            entries[pick] = (false, now + window);
            return Task.FromResult(pick);
        }
    }

    public TimeSpan GatewayLapse => TimeSpan.Zero;

    public Task<bool> InFlightElsewhereAsync(string tenantId, string fingerprint, string ownKey, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    public Task<string?> TakeOrphanAsync(string tenantId, string fingerprint, string ownKey, TimeSpan window, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public Task ForgetAsync(string tenantId, string fingerprint, string key, CancellationToken cancellationToken)
    {
        lock (_attempts)
        {
            Entries(tenantId, fingerprint, time.GetUtcNow()).Remove(key);
        }

        return Task.CompletedTask;
    }

    public Task MarkInDoubtAsync(string tenantId, string fingerprint, string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_attempts)
        {
            Entries(tenantId, fingerprint, now)[key] = (true, now + window);
        }

        return Task.CompletedTask;
    }

    /// <summary>The live entries of one request (expired ones dropped; an empty set is dropped with them).</summary>
    private Dictionary<string, (bool InDoubt, DateTimeOffset Expires)> Entries(string tenantId, string fingerprint, DateTimeOffset now)
    {
        foreach (var (request, attempts) in _attempts.ToList())
        {
            foreach (var expired in attempts.Where(a => a.Value.Expires <= now).Select(a => a.Key).ToList())
            {
                attempts.Remove(expired);
            }

            if (attempts.Count == 0)
            {
                _attempts.Remove(request);
            }
        }

        if (!_attempts.TryGetValue((tenantId, fingerprint), out var entries))
        {
            entries = [];
            _attempts[(tenantId, fingerprint)] = entries;
        }

        return entries;
    }
}
