using System.Net;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>An Idempotency-Key makes a retried create return the same video, even when the retries race.</summary>
public sealed class IdempotencyTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public IdempotencyTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Retried_and_racing_creates_with_one_key_make_one_video()
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(_factory, "retry");
        using (client)
        {
            var first = await VideoApi.CreateAsync(client, VideoApi.TinyRequest(), idempotencyKey: "order-42");
            var again = await VideoApi.CreateAsync(client, VideoApi.TinyRequest(), idempotencyKey: "order-42");
            Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());

            var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => VideoApi.CreateAsync(client, VideoApi.TinyRequest("race"), idempotencyKey: "order-43")));
            Assert.Single(racing.Select(video => video.GetProperty("id").GetString()).Distinct());

            var list = await VideoApi.GetAsync(client, "/v1/videos?limit=100");
            Assert.Equal(2, list.GetProperty("data").GetArrayLength());
            using var admin = _factory.ClientWithKey(GatewayFactory.OperatorKey);
            Assert.Equal(2.0, (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble());
        }
    }

    [Fact]
    public async Task A_key_reused_for_a_different_request_is_a_conflict_and_keys_are_per_tenant()
    {
        using var client = await TenantClients.NewTenantAsync(_factory, "reuse");
        var first = await VideoApi.CreateAsync(client, VideoApi.TinyRequest("original"), idempotencyKey: "k1");
        using var conflict = await VideoApi.SendCreateAsync(client, VideoApi.TinyRequest("something else"), idempotencyKey: "k1");
        await ErrorAssert.IsAsync(conflict, HttpStatusCode.Conflict, "idempotency_key_reused");

        using var stranger = await TenantClients.NewTenantAsync(_factory, "stranger");
        var theirs = await VideoApi.CreateAsync(stranger, VideoApi.TinyRequest("original"), idempotencyKey: "k1");
        Assert.NotEqual(first.GetProperty("id").GetString(), theirs.GetProperty("id").GetString());
    }
}
