using System.Diagnostics;
using System.Net;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests;

/// <summary>Two gateway hosts on one Redis enforce one rate limit per tenant, not one each.</summary>
public sealed class SharedRateLimitTests : IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    public SharedRateLimitTests(RedisFixture redis) => _redis = redis;

    [Fact]
    public async Task Requests_through_two_gateways_draw_from_one_bucket_and_the_excess_gets_429_with_retry_after()
    {
        await using var gateways = new RedisGateways(_redis);
        using var first = gateways.StartHost().ClientWithKey(null);
        using var second = gateways.StartHost().ClientWithKey(null);
        var (_, key) = await gateways.NewTenantAsync("limited", new TenantQuotas { RequestsPerSecond = 1, RequestBurst = 6 });
        foreach (var client in new[] { first, second })
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        var clock = Stopwatch.StartNew();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 16; i++)
        {
            answers.Add(await (i % 2 == 0 ? first : second).GetAsync("/v1/videos"));
        }

        // One shared bucket: the burst of 6, plus at most one token per second that passed. Per-gateway buckets
        // would have let 12 through (6 on each).
        var allowed = answers.Count(answer => answer.StatusCode == HttpStatusCode.OK);
        Assert.InRange(allowed, 6, 6 + (int)clock.Elapsed.TotalSeconds);
        Assert.Contains(answers.Where((_, i) => i % 2 == 0), answer => answer.StatusCode == HttpStatusCode.OK);
        Assert.Contains(answers.Where((_, i) => i % 2 == 1), answer => answer.StatusCode == HttpStatusCode.OK);
        var refused = answers.Where(answer => answer.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(16 - allowed, refused.Count);
        foreach (var answer in refused)
        {
            Assert.InRange(answer.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            await ErrorAssert.IsAsync(answer, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        }

        // The bucket refills for both: after a second, each gateway lets a request through again.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/videos")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/v1/videos")).StatusCode);
        answers.ForEach(answer => answer.Dispose());
    }

    [Fact]
    public async Task Without_redis_each_gateway_falls_back_to_its_own_bucket()
    {
        await using var unreachable = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            $"127.0.0.1:{FreePort.Next()},abortConnect=false,connectTimeout=200,syncTimeout=500,asyncTimeout=500");
        using var fallback = new InMemoryTenantRateLimiter();
        var limiter = new RedisTenantRateLimiter(unreachable, fallback, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisTenantRateLimiter>.Instance);
        var tenant = new Tenant { Id = "offline", WebhookSecret = "s", Quotas = new TenantQuotas { RequestsPerSecond = 1, RequestBurst = 2 } };

        Assert.Null(await limiter.TryAcquireAsync(tenant, CancellationToken.None));
        Assert.Null(await limiter.TryAcquireAsync(tenant, CancellationToken.None));
        Assert.NotNull(await limiter.TryAcquireAsync(tenant, CancellationToken.None));
    }
}
