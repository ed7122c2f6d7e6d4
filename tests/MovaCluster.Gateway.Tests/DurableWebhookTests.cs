using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MovaCluster.Gateway.Tenancy;
using MovaCluster.Gateway.Tests.Infrastructure;
using MovaCluster.Gateway.Webhooks;
using MovaCluster.Testing;

namespace MovaCluster.Gateway.Tests;

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
            .With("Mova:Gateway:Webhooks:MaxAttempts", "50")
            .With("Mova:Gateway:Webhooks:PollInterval", "00:00:00.100");
        var (_, key) = await gateways.NewTenantAsync("durable", new TenantQuotas { RequestsPerSecond = 100, RequestBurst = 100 }, Secret);

        var first = gateways.StartHost(Configure);
        string id;
        using (var client = first.ClientWithKey(key))
        {
            var request = (Dictionary<string, object>)Api.TinyRequest("survive a restart", steps: 2);
            request["webhook_url"] = receiver.Url;
            id = (await Api.CreateAsync(client, request)).GetProperty("id").GetString()!;
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
}
