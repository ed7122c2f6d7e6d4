using Microsoft.Extensions.Time.Testing;
using MovaCluster.Api.Videos;
using MovaCluster.Testing;
using StackExchange.Redis;

namespace MovaCluster.Api.Tests.Faults;

/// <summary>
/// The log behind creates without an Idempotency-Key, in memory and in a real Redis, against one contract: a retry
/// takes over an attempt in doubt, else one in flight; a client that does not say takes over only one in doubt; a
/// first try never takes one over; a settled attempt is forgotten and an unsettled one expires after the window.
/// </summary>
public sealed class CreateAttemptLogTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(600);
    private readonly FakeTimeProvider _time = new();
    private ConnectionMultiplexer? _connection;

    public static TheoryData<string> Logs => ["memory", "redis"];

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task A_retry_takes_over_the_attempt_in_doubt_before_one_in_flight(string kind)
    {
        var (log, tenant, fingerprint) = Create(kind);
        var inFlight = await log.BeginAsync(tenant, fingerprint, "k-flight", retry: false, Window, default);
        var doubtful = await log.BeginAsync(tenant, fingerprint, "k-doubt", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);

        var retried = await log.BeginAsync(tenant, fingerprint, "k-new-1", retry: true, Window, default);
        var retriedAgain = await log.BeginAsync(tenant, fingerprint, "k-new-2", retry: true, Window, default);

        Assert.Equal(["k-flight", "k-doubt"], [inFlight, doubtful]);
        Assert.Equal("k-doubt", retried);
        // The taken attempt is in flight again; a second retry finds the in-flight ones (never a fresh key).
        Assert.Contains(retriedAgain, new[] { "k-flight", "k-doubt" });
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task A_first_try_takes_over_nothing_so_identical_requests_sent_on_purpose_make_two_videos(string kind)
    {
        var (log, tenant, fingerprint) = Create(kind);
        var first = await log.BeginAsync(tenant, fingerprint, "k-1", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, first, Window, default);

        var second = await log.BeginAsync(tenant, fingerprint, "k-2", retry: false, Window, default);

        Assert.Equal("k-2", second);
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task A_client_that_does_not_say_takes_over_only_an_attempt_in_doubt(string kind)
    {
        var (log, tenant, fingerprint) = Create(kind);
        var running = await log.BeginAsync(tenant, fingerprint, "k-running", retry: null, Window, default);
        var beside = await log.BeginAsync(tenant, fingerprint, "k-beside", retry: null, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, beside, Window, default);
        var repeat = await log.BeginAsync(tenant, fingerprint, "k-repeat", retry: null, Window, default);
        var another = await log.BeginAsync(tenant, fingerprint, "k-another", retry: null, Window, default);

        Assert.Equal("k-running", running);
        Assert.Equal("k-beside", repeat);
        Assert.Equal("k-another", another);
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task Settled_attempts_are_forgotten_and_other_tenants_and_requests_are_apart(string kind)
    {
        var (log, tenant, fingerprint) = Create(kind);
        var done = await log.BeginAsync(tenant, fingerprint, "k-done", retry: false, Window, default);
        await log.ForgetAsync(tenant, fingerprint, done, default);
        var doubtful = await log.BeginAsync(tenant, fingerprint, "k-doubt", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);

        Assert.Equal("k-other-tenant", await log.BeginAsync(tenant + "-other", fingerprint, "k-other-tenant", retry: true, Window, default));
        Assert.Equal("k-other-request", await log.BeginAsync(tenant, fingerprint + "-other", "k-other-request", retry: true, Window, default));
        await log.ForgetAsync(tenant, fingerprint, doubtful, default);
        Assert.Equal("k-fresh", await log.BeginAsync(tenant, fingerprint, "k-fresh", retry: true, Window, default));
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task An_attempt_in_doubt_is_remembered_for_the_window_and_then_forgotten(string kind)
    {
        var (log, tenant, fingerprint) = Create(kind);
        var doubtful = await log.BeginAsync(tenant, fingerprint, "k-doubt", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);
        await PassAsync(kind, Window / 3);
        Assert.Equal("k-doubt", await log.BeginAsync(tenant, fingerprint, "k-early", retry: true, Window, default));
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);

        await PassAsync(kind, Window * 2);

        Assert.Equal("k-late", await log.BeginAsync(tenant, fingerprint, "k-late", retry: true, Window, default));
    }

    private (ICreateAttemptLog Log, string Tenant, string Fingerprint) Create(string kind)
    {
        ICreateAttemptLog log = kind == "redis" ? new RedisCreateAttemptLog(_connection!) : new InMemoryCreateAttemptLog(_time);
        return (log, "tenant-" + Guid.NewGuid().ToString("N")[..8], Guid.NewGuid().ToString("N"));
    }

    private async Task PassAsync(string kind, TimeSpan span)
    {
        if (kind == "redis")
        {
            await Task.Delay(span);
        }
        else
        {
            _time.Advance(span);
        }
    }
}
