using System.Net;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>Tenant isolation, keys issued and revoked by the operator, rate limits and quotas answering 429.</summary>
public sealed class TenancyTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public TenancyTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Another_tenants_video_does_not_exist_for_any_operation()
    {
        using var owner = await TenantClients.NewTenantAsync(_factory, "owner");
        using var other = await TenantClients.NewTenantAsync(_factory, "other");
        var id = (await VideoApi.CreateAsync(owner, VideoApi.TinyRequest())).GetProperty("id").GetString()!;
        await VideoApi.WaitForStatusAsync(owner, id, TimeSpan.FromSeconds(30), "completed");

        await ErrorAssert.IsAsync(await other.GetAsync($"/v1/videos/{id}"), HttpStatusCode.NotFound, "video_not_found");
        await ErrorAssert.IsAsync(await other.GetAsync($"/v1/videos/{id}/content"), HttpStatusCode.NotFound, "video_not_found");
        await ErrorAssert.IsAsync(await other.GetAsync($"/v1/videos/{id}/events"), HttpStatusCode.NotFound, "video_not_found");
        await ErrorAssert.IsAsync(await other.PostAsync($"/v1/videos/{id}/cancel", null), HttpStatusCode.NotFound, "video_not_found");
        await ErrorAssert.IsAsync(await other.DeleteAsync($"/v1/videos/{id}"), HttpStatusCode.NotFound, "video_not_found");
        await ErrorAssert.IsAsync(await other.GetAsync($"/v1/videos?after={id}"), HttpStatusCode.BadRequest, "invalid_cursor");
        Assert.Equal(0, (await VideoApi.GetAsync(other, "/v1/videos")).GetProperty("data").GetArrayLength());

        // The owner still has it, untouched.
        Assert.Equal("completed", (await VideoApi.GetAsync(owner, $"/v1/videos/{id}")).GetProperty("status").GetString());
        Assert.Equal(1, (await VideoApi.GetAsync(owner, "/v1/videos")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_revoked_key_stops_working_and_keys_are_stored_only_hashed()
    {
        using var admin = _factory.ClientWithKey(GatewayFactory.OperatorKey);
        using (var put = await admin.PutAsync("/admin/tenants/revokee", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var issued = await admin.PostAsync("/admin/tenants/revokee/keys", null);
        var key = await VideoApi.ReadAsync(issued);
        var plain = key.GetProperty("api_key").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(plain))), key.GetProperty("key_hash").GetString());

        using var client = _factory.ClientWithKey(plain);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/videos")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/keys/{key.GetProperty("key_hash").GetString()}")).StatusCode);
        await ErrorAssert.IsAsync(await client.GetAsync("/v1/videos"), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task The_rate_limit_answers_429_with_retry_after()
    {
        using var client = await TenantClients.NewTenantAsync(_factory, "chatty",
            new Dictionary<string, object> { ["requests_per_second"] = 1, ["request_burst"] = 3 });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await client.GetAsync("/v1/videos");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(statuses.Count(status => status == HttpStatusCode.OK) >= 3, string.Join(",", statuses));
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            await ErrorAssert.IsAsync(limited, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        }
    }

    [Fact]
    public async Task The_daily_video_seconds_quota_answers_429_and_a_refused_create_is_not_charged()
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(_factory, "frugal",
            new Dictionary<string, object> { ["video_seconds_per_day"] = 1.5, ["requests_per_second"] = 100, ["request_burst"] = 100 });
        using (client)
        {
            await VideoApi.CreateAsync(client, VideoApi.TinyRequest());
            using var refused = await VideoApi.SendCreateAsync(client, VideoApi.TinyRequest("one more"));
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            await ErrorAssert.IsAsync(refused, HttpStatusCode.TooManyRequests, "video_seconds_quota_exceeded");

            using var admin = _factory.ClientWithKey(GatewayFactory.OperatorKey);
            Assert.Equal(1.0, (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble());
            Assert.Equal(1, (await VideoApi.GetAsync(client, "/v1/videos")).GetProperty("data").GetArrayLength());
        }
    }
}
