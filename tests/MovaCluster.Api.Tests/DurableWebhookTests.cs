using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Api.Videos;
using MovaCluster.Api.Webhooks;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests;

/// <summary>Pending webhook deliveries live in the Redis outbox: a gateway that stops loses none of them.</summary>
public sealed class DurableWebhookTests : IClassFixture<RedisFixture>
{
    private const string Secret = "whsec_durable";
    private readonly RedisFixture _redis;

    public DurableWebhookTests(RedisFixture redis) => _redis = redis;

    [Fact]
    public async Task A_delivery_pending_when_its_gateway_stops_is_made_exactly_once_by_the_next_gateway()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        receiver.Refusing = true;
        await using var gateways = new RedisGateways(_redis);
        static void Configure(GatewayFactory host) => host
            .AllowingLoopbackWebhooks()
            .With("Mova:Execution:Executor", "Synthetic")
            .With("Mova:Gateway:Webhooks:MaxAttempts", "50")
            .With("Mova:Gateway:Webhooks:PollInterval", "00:00:00.100");
        var (_, key) = await gateways.NewTenantAsync("durable", new TenantQuotas { RequestsPerSecond = 100, RequestBurst = 100 }, Secret);

        var first = gateways.StartHost(Configure);
        string id;
        using (var client = first.ClientWithKey(key))
        {
            var request = (Dictionary<string, object>)VideoApi.TinyRequest("survive a restart", steps: 2);
            request["webhook_url"] = receiver.Url;
            id = (await VideoApi.CreateAsync(client, request)).GetProperty("id").GetString()!;
            await receiver.WaitForAsync(() => !receiver.Deliveries.IsEmpty, TimeSpan.FromSeconds(30));
        }

        await gateways.StopHostAsync(first);
        var refusedWhileFirstRan = receiver.Deliveries.Count;
        Assert.All(receiver.Deliveries, delivery => Assert.Equal(500, delivery.Status));
        var webhookId = receiver.Deliveries.First().Headers["webhook-id"];
        var redis = await gateways.DatabaseAsync();
        Assert.True(await redis.HashExistsAsync(RedisWebhookOutbox.DeliveriesKey, webhookId), "the failed delivery should wait in the outbox");

        receiver.Refusing = false;
        var second = gateways.StartHost(Configure);
        using (second.CreateClient())
        {
            await receiver.WaitForAsync(() => receiver.Deliveries.Any(delivery => delivery.Status == 200), TimeSpan.FromSeconds(30));
            // Give a duplicate the time it would need to show up (several poll intervals).
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        var deliveries = receiver.Deliveries.ToArray();
        var accepted = Assert.Single(deliveries, delivery => delivery.Status == 200);
        Assert.Equal(refusedWhileFirstRan + 1, deliveries.Length);
        Assert.All(deliveries, delivery => Assert.Equal(webhookId, delivery.Headers["webhook-id"]));
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{accepted.Headers["webhook-timestamp"]}.").Concat(accepted.Body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed)), accepted.Headers["webhook-signature"]);
        var payload = JsonDocument.Parse(accepted.Body).RootElement;
        Assert.Equal(webhookId, payload.GetProperty("id").GetString());
        Assert.Equal("video.completed", payload.GetProperty("type").GetString());
        Assert.Equal(id, payload.GetProperty("data").GetProperty("id").GetString());
        Assert.False(await redis.HashExistsAsync(RedisWebhookOutbox.DeliveriesKey, webhookId));
        Assert.Null(await redis.SortedSetScoreAsync(RedisWebhookOutbox.DueKey, webhookId));
    }

    [Fact]
    public async Task A_video_left_by_a_gateway_that_died_before_its_job_ended_is_taken_over_and_announced_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        await using var gateways = new RedisGateways(_redis);
        var (tenantId, key) = await gateways.NewTenantAsync("orphan", new TenantQuotas { RequestsPerSecond = 100, RequestBurst = 100 }, Secret);
        var host = gateways.StartHost(host => host
            .AllowingLoopbackWebhooks()
            .With("Mova:Execution:Executor", "Synthetic")
            .With("Mova:Execution:Synthetic:StepDelay", "00:00:00.100")
            .With("Mova:Gateway:Webhooks:WatchLease", "00:00:00.600"));
        using var client = host.ClientWithKey(key);
        var video = await VideoApi.CreateAsync(client, VideoApi.TinyRequest("orphaned", steps: 10));
        var id = video.GetProperty("id").GetString()!;

        // As a gateway that listed the video for its webhook and died: the watch is there, its lease already over.
        var record = new VideoRecord
        {
            Id = id,
            TenantId = tenantId,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(video.GetProperty("created_at").GetInt64()),
            Model = "mova-tiny",
            Prompt = "orphaned",
            FrameCount = 9,
            Fps = 8,
            Width = 64,
            Height = 48,
            WebhookUrl = receiver.Url,
        };
        var redis = await gateways.DatabaseAsync();
        await new RedisWebhookWatchList(redis.Multiplexer).AddAsync(new WebhookWatch(tenantId, Secret, record), DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);

        await receiver.WaitForAsync(() => !receiver.Deliveries.IsEmpty, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(200, delivery.Status);
        var payload = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("video.completed", payload.GetProperty("type").GetString());
        Assert.Equal(id, payload.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(delivery.Headers["webhook-id"], payload.GetProperty("id").GetString());
        Assert.False(await redis.HashExistsAsync(RedisWebhookWatchList.WatchesKey, id));
        Assert.Null(await redis.SortedSetScoreAsync(RedisWebhookWatchList.LeasesKey, id));
    }
}
