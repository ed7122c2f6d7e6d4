using System.Net;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests;

/// <summary>
/// The first operator of a Redis-backed deployment comes from configuration (<c>Mova:Gateway:OperatorApiKey</c>): the
/// development seeding only fills the in-memory store.
/// </summary>
public sealed class OperatorKeyTests : IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    public OperatorKeyTests(RedisFixture redis) => _redis = redis;

    [Fact]
    public async Task A_configured_operator_key_opens_the_admin_endpoints_of_every_gateway_on_redis()
    {
        var operatorKey = ApiKeyHasher.NewKey();
        var tenantId = $"acme-{Guid.NewGuid():N}";
        await using var gateways = new RedisGateways(_redis);
        void Configure(GatewayFactory host) => host.With("Mova:Gateway:OperatorApiKey", operatorKey);
        var first = gateways.StartHost(Configure);
        var second = gateways.StartHost(Configure);
        using var firstAdmin = first.ClientWithKey(operatorKey);
        using var secondAdmin = second.ClientWithKey(operatorKey);
        using var developmentKey = first.ClientWithKey(GatewayFactory.OperatorKey);

        using (var put = await firstAdmin.PutAsync($"/admin/tenants/{tenantId}", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var issued = await firstAdmin.PostAsync($"/admin/tenants/{tenantId}/keys", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var tenantKey = (await VideoApi.ReadAsync(issued)).GetProperty("api_key").GetString()!;
        using var tenant = second.ClientWithKey(tenantKey);

        Assert.Equal(HttpStatusCode.OK, (await secondAdmin.GetAsync($"/admin/tenants/{tenantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/v1/videos")).StatusCode);
        await ErrorAssert.IsAsync(await tenant.GetAsync("/admin/queue"), HttpStatusCode.Forbidden, "operator_key_required");

        // With Redis there is no development seeding: its well-known operator key opens nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await developmentKey.GetAsync("/admin/queue")).StatusCode);
        var stored = await new RedisTenantStore((await gateways.DatabaseAsync()).Multiplexer).FindByKeyHashAsync(ApiKeyHasher.Hash(operatorKey), CancellationToken.None);
        Assert.True(stored?.IsOperator);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("a key with spaces in it, long enough")]
    public void A_weak_operator_key_is_refused_at_start(string key)
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { OperatorApiKey = key });

        Assert.True(result.Failed);
        Assert.Contains("OperatorApiKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void No_operator_key_is_configured_by_default()
    {
        Assert.Null(new GatewayOptions().OperatorApiKey);
        Assert.Equal(ValidateOptionsResult.Success, new GatewayOptionsValidator().Validate(null, new GatewayOptions()));
    }
}
