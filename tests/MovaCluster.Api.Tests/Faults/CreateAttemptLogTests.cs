using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Tenancy;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Videos;
using MovaCluster.Testing;
using StackExchange.Redis;

namespace MovaCluster.Api.Tests.Faults;

/// <summary>
/// The log behind creates without an Idempotency-Key, in memory and in a real Redis, against one contract: a retry
/// takes over an attempt in doubt, else (Redis) one in flight on a gateway that died, never one whose gateway lives; a
/// client that does not say takes over only one in doubt; a first try never takes one over; a settled attempt is
/// forgotten and an unsettled one expires after the window.
/// </summary>
public sealed class CreateAttemptLogTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    // Long enough that a test host starting up (a 200 ms delay was seen to take 950 ms) does not outlast it in Redis.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
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
    public async Task A_retry_takes_over_the_attempt_in_doubt_and_never_one_whose_client_still_waits(string kind)
    {
        var (log, tenant, fingerprint) = await CreateAsync(kind);
        var inFlight = await log.BeginAsync(tenant, fingerprint, "k-flight", retry: false, Window, default);
        var doubtful = await log.BeginAsync(tenant, fingerprint, "k-doubt", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);

        var retried = await log.BeginAsync(tenant, fingerprint, "k-new-1", retry: true, Window, default);
        var retriedAgain = await log.BeginAsync(tenant, fingerprint, "k-new-2", retry: true, Window, default);

        Assert.Equal(["k-flight", "k-doubt"], [inFlight, doubtful]);
        Assert.Equal("k-doubt", retried);
        // Both others are in flight on a live gateway, their clients waiting: this retry is another request.
        Assert.Equal("k-new-2", retriedAgain);
    }

    [Fact]
    public async Task A_retry_takes_over_an_attempt_in_flight_on_a_gateway_that_died_and_not_one_on_a_live_gateway()
    {
        var tenant = "tenant-" + Guid.NewGuid().ToString("N")[..8];
        var fingerprint = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(30);
        var live = new RedisCreateAttemptLog(_connection!, "live-" + Guid.NewGuid().ToString("N"));
        var dead = new RedisCreateAttemptLog(_connection!, "dead-" + Guid.NewGuid().ToString("N"));
        await live.RefreshPresenceAsync();
        await dead.RefreshPresenceAsync();
        Assert.Equal("k-live", await live.BeginAsync(tenant, fingerprint, "k-live", retry: false, window, default));
        Assert.Equal("k-dead", await dead.BeginAsync(tenant, fingerprint, "k-dead", retry: false, window, default));

        // While both gateways live, neither attempt is a retry's to take.
        Assert.Equal("k-while-alive", await live.BeginAsync(tenant, fingerprint, "k-while-alive", retry: true, window, default));
        Assert.True(await live.InFlightElsewhereAsync(tenant, fingerprint, "k-while-alive", default));
        Assert.False(await dead.InFlightElsewhereAsync(tenant + "-other", fingerprint, "k-while-alive", default));
        Assert.Null(await live.TakeOrphanAsync(tenant, fingerprint, "k-while-alive", window, default));
        await live.ForgetAsync(tenant, fingerprint, "k-while-alive", default);

        // The dead gateway stops refreshing; the live one goes on.
        var lapse = Stopwatch.StartNew();
        while (lapse.Elapsed < RedisCreateAttemptLog.PresenceTtl + TimeSpan.FromMilliseconds(500))
        {
            await live.RefreshPresenceAsync();
            await Task.Delay(RedisCreateAttemptLog.PresenceInterval / 4);
        }

        // A retry's first look takes nothing in flight; after its wait, the dead gateway's attempt is its to take, and
        // once taken it is in flight on the live gateway: nobody's orphan any more.
        Assert.Equal("k-retry", await live.BeginAsync(tenant, fingerprint, "k-retry", retry: true, window, default));
        Assert.Equal("k-dead", await live.TakeOrphanAsync(tenant, fingerprint, "k-retry", window, default));
        Assert.Null(await live.TakeOrphanAsync(tenant, fingerprint, "k-next", window, default));
        Assert.Equal("k-unsaid", await live.BeginAsync(tenant, fingerprint, "k-unsaid", retry: null, window, default));
    }

    [Fact]
    public async Task A_retry_arriving_just_after_its_gateway_died_waits_until_it_looks_dead_and_continues_its_create()
    {
        var tenant = new Tenant { Id = "tenant-" + Guid.NewGuid().ToString("N")[..8], WebhookSecret = "secret-0123456789" };
        var request = new ValidatedVideoRequest
        {
            Model = "mova-tiny",
            Generation = new GenerationRequest { Prompt = "cut off", Width = 64, Height = 48, FrameCount = 9, Steps = 4, Seed = 7 },
        };
        var dead = new RedisCreateAttemptLog(_connection!, "dead-" + Guid.NewGuid().ToString("N"));
        var live = new RedisCreateAttemptLog(_connection!, "live-" + Guid.NewGuid().ToString("N"));
        var options = Options.Create(new GatewayOptions());
        await dead.RefreshPresenceAsync();
        await live.RefreshPresenceAsync();
        var keys = new List<string>();
        var died = new ImplicitIdempotency(dead, options, TimeProvider.System, NullLogger<ImplicitIdempotency>.Instance);
        var cutOff = new TaskCompletionSource<VideoObject>();
        _ = died.CreateAsync(new DefaultHttpContext(), tenant, request, key =>
        {
            keys.Add(key);
            return cutOff.Task;
        });

        using var stop = new CancellationTokenSource();
        var presence = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await live.RefreshPresenceAsync();
                await Task.Delay(RedisCreateAttemptLog.PresenceInterval / 4);
            }
        });
        var retry = new DefaultHttpContext();
        retry.Request.Headers[ImplicitIdempotency.RetryCountHeader] = "1";
        var waited = Stopwatch.StartNew();
        await new ImplicitIdempotency(live, options, TimeProvider.System, NullLogger<ImplicitIdempotency>.Instance).CreateAsync(retry, tenant, request, key =>
        {
            keys.Add(key);
            return Task.FromResult(new VideoObject { Id = "video_" + key, Model = "mova-tiny", Status = "queued", Seconds = "1", Size = "64x48" });
        });
        await stop.CancelAsync();
        await presence;

        Assert.Equal(keys[0], keys[1]);
        Assert.True(waited.Elapsed >= RedisCreateAttemptLog.PresenceTtl - TimeSpan.FromSeconds(1), $"took it over after {waited.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task A_first_try_takes_over_nothing_so_identical_requests_sent_on_purpose_make_two_videos(string kind)
    {
        var (log, tenant, fingerprint) = await CreateAsync(kind);
        var first = await log.BeginAsync(tenant, fingerprint, "k-1", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, first, Window, default);

        var second = await log.BeginAsync(tenant, fingerprint, "k-2", retry: false, Window, default);

        Assert.Equal("k-2", second);
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task A_client_that_does_not_say_takes_over_only_an_attempt_in_doubt(string kind)
    {
        var (log, tenant, fingerprint) = await CreateAsync(kind);
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
        var (log, tenant, fingerprint) = await CreateAsync(kind);
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
        var (log, tenant, fingerprint) = await CreateAsync(kind);
        var doubtful = await log.BeginAsync(tenant, fingerprint, "k-doubt", retry: false, Window, default);
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);
        await PassAsync(kind, Window / 3);
        Assert.Equal("k-doubt", await log.BeginAsync(tenant, fingerprint, "k-early", retry: true, Window, default));
        await log.MarkInDoubtAsync(tenant, fingerprint, doubtful, Window, default);

        await PassAsync(kind, Window * 2);

        Assert.Equal("k-late", await log.BeginAsync(tenant, fingerprint, "k-late", retry: true, Window, default));
    }

    private async Task<(ICreateAttemptLog Log, string Tenant, string Fingerprint)> CreateAsync(string kind)
    {
        ICreateAttemptLog log;
        if (kind == "redis")
        {
            var redisLog = new RedisCreateAttemptLog(_connection!, "gateway-" + Guid.NewGuid().ToString("N"));
            await redisLog.RefreshPresenceAsync();
            log = redisLog;
        }
        else
        {
            log = new InMemoryCreateAttemptLog(_time);
        }

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
