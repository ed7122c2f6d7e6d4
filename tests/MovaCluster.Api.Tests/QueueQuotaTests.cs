using System.Net;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>The queued-jobs quota: while the only worker is busy, a tenant may keep only its quota of videos waiting.</summary>
public sealed class QueueQuotaTests : IClassFixture<SlowGatewayFactory>
{
    private readonly SlowGatewayFactory _factory;

    public QueueQuotaTests(SlowGatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Creates_beyond_the_queued_quota_answer_429_with_retry_after()
    {
        using var busy = _factory.ClientWithKey();
        var blocker = (await VideoApi.CreateAsync(busy, VideoApi.TinyRequest("occupies the worker", steps: 40))).GetProperty("id").GetString()!;
        await VideoApi.WaitForStatusAsync(busy, blocker, TimeSpan.FromSeconds(20), "in_progress");

        using var client = await TenantClients.NewTenantAsync(_factory, "queuer",
            new Dictionary<string, object> { ["max_queued_jobs"] = 2, ["requests_per_second"] = 100, ["request_burst"] = 100 });
        await VideoApi.CreateAsync(client, VideoApi.TinyRequest("one"));
        await VideoApi.CreateAsync(client, VideoApi.TinyRequest("two"));
        using var refused = await VideoApi.SendCreateAsync(client, VideoApi.TinyRequest("three"));
        Assert.NotNull(refused.Headers.RetryAfter);
        await ErrorAssert.IsAsync(refused, HttpStatusCode.TooManyRequests, "queued_jobs_quota_exceeded");
        Assert.Equal(2, (await VideoApi.GetAsync(client, "/v1/videos")).GetProperty("data").GetArrayLength());

        await busy.PostAsync($"/v1/videos/{blocker}/cancel", null);
    }
}
