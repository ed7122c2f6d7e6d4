using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>Signed webhooks on completion and cancellation, retried after a failed delivery.</summary>
public sealed class WebhookTests : IClassFixture<WebhookTests.LoopbackReceivers>
{
    private const string Secret = "whsec_test_secret";
    private readonly SlowGatewayFactory _factory;

    public WebhookTests(LoopbackReceivers factory) => _factory = factory;

    /// <summary>The slow cluster with the tests' loopback receivers allow-listed.</summary>
    public sealed class LoopbackReceivers : SlowGatewayFactory
    {
        public LoopbackReceivers() => AllowingLoopbackWebhooks();
    }

    [Fact]
    public async Task A_completed_video_is_announced_with_a_valid_signature_and_retried_after_a_500()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        var (client, _) = await TenantClients.NewTenantWithIdAsync(_factory, "hooked", webhookSecret: Secret);
        using (client)
        {
            var request = (Dictionary<string, object>)VideoApi.TinyRequest("announce me", steps: 3);
            request["webhook_url"] = receiver.Url;
            var id = (await VideoApi.CreateAsync(client, request)).GetProperty("id").GetString()!;
            await receiver.WaitForAsync(() => receiver.Deliveries.Count >= 2, TimeSpan.FromSeconds(30));

            var deliveries = receiver.Deliveries.ToArray();
            Assert.Equal([500, 200], deliveries.Select(d => d.Status));
            Assert.Equal(deliveries[0].Headers["webhook-id"], deliveries[1].Headers["webhook-id"]);
            foreach (var (headers, body, _) in deliveries)
            {
                var signed = Encoding.UTF8.GetBytes($"{headers["webhook-id"]}.{headers["webhook-timestamp"]}.").Concat(body).ToArray();
                var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
                Assert.Equal(expected, headers["webhook-signature"]);
            }

            var payload = JsonDocument.Parse(deliveries[1].Body).RootElement;
            Assert.Equal("video.completed", payload.GetProperty("type").GetString());
            Assert.Equal("event", payload.GetProperty("object").GetString());
            Assert.Equal(id, payload.GetProperty("data").GetProperty("id").GetString());
            Assert.Equal("completed", payload.GetProperty("data").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_cancelled_video_is_announced_as_cancelled()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        var (client, _) = await TenantClients.NewTenantWithIdAsync(_factory, "hooked2", webhookSecret: Secret);
        using (client)
        {
            var request = (Dictionary<string, object>)VideoApi.TinyRequest("cancel me", steps: 40);
            request["webhook_url"] = receiver.Url;
            var id = (await VideoApi.CreateAsync(client, request)).GetProperty("id").GetString()!;
            using var cancel = await client.PostAsync($"/v1/videos/{id}/cancel", null);
            Assert.True(cancel.IsSuccessStatusCode);
            await receiver.WaitForAsync(() => !receiver.Deliveries.IsEmpty, TimeSpan.FromSeconds(30));

            var payload = JsonDocument.Parse(receiver.Deliveries.Single().Body).RootElement;
            Assert.Equal("video.cancelled", payload.GetProperty("type").GetString());
            Assert.Equal(id, payload.GetProperty("data").GetProperty("id").GetString());
        }
    }
}
