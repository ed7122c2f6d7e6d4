using System.Net;
using System.Text;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Tests;

/// <summary>PUT /admin/tenants/{id} is a patch: what is not sent keeps its value; bad bodies and quotas are 4xx; unknown tenants are 404.</summary>
public sealed class AdminPatchTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task A_put_changes_only_the_members_it_sends()
    {
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var id = "patched-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await PutAsync(admin, id, """{"is_operator":true,"webhook_secret":"whsec_0123456789abcdef","quotas":{"max_running_jobs":3,"video_seconds_per_day":120}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var patched = await PutAsync(admin, id, """{"quotas":{"max_queued_jobs":7}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var tenant = await VideoApi.GetAsync(admin, $"/admin/tenants/{id}");
        Assert.True(tenant.GetProperty("is_operator").GetBoolean());
        Assert.Equal("whsec_0123456789abcdef", tenant.GetProperty("webhook_secret").GetString());
        var quotas = tenant.GetProperty("quotas");
        Assert.Equal(3, quotas.GetProperty("max_running_jobs").GetInt32());
        Assert.Equal(7, quotas.GetProperty("max_queued_jobs").GetInt32());
        Assert.Equal(120, quotas.GetProperty("video_seconds_per_day").GetDouble());
        Assert.Equal(new TenantQuotas().RequestsPerSecond, quotas.GetProperty("requests_per_second").GetInt32());
    }

    [Theory]
    [InlineData("null", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("[]", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("{", HttpStatusCode.BadRequest, "invalid_json")]
    [InlineData("""{"quotas":{"max_running_jobs":0}}""", HttpStatusCode.UnprocessableEntity, "invalid_value")]
    [InlineData("""{"quotas":{"video_seconds_per_day":-5}}""", HttpStatusCode.UnprocessableEntity, "invalid_value")]
    [InlineData("""{"quotas":{"requests_per_second":1.5}}""", HttpStatusCode.BadRequest, "invalid_type")]
    [InlineData("""{"quotas":"big"}""", HttpStatusCode.BadRequest, "invalid_type")]
    [InlineData("""{"quotas":{"unknown":1}}""", HttpStatusCode.BadRequest, "unknown_parameter")]
    [InlineData("""{"is_operator":"yes"}""", HttpStatusCode.BadRequest, "invalid_type")]
    [InlineData("""{"webhook_secret":"short"}""", HttpStatusCode.UnprocessableEntity, "invalid_value")]
    [InlineData("""{"nope":1}""", HttpStatusCode.BadRequest, "unknown_parameter")]
    public async Task Invalid_bodies_are_refused_and_create_nothing(string body, HttpStatusCode status, string code)
    {
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var id = "refused-" + Guid.NewGuid().ToString("N")[..8];
        await ErrorAssert.IsAsync(await PutAsync(admin, id, body), status, code);
        await ErrorAssert.IsAsync(await admin.GetAsync($"/admin/tenants/{id}"), HttpStatusCode.NotFound, "tenant_not_found");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_unknown_tenants_are_404_everywhere()
    {
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var id = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        await ErrorAssert.IsAsync(await admin.PutAsync($"/admin/tenants/{id}", new StringContent("{}", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "unsupported_content_type");
        await ErrorAssert.IsAsync(await admin.PutAsync($"/admin/tenants/{id}", null), HttpStatusCode.UnsupportedMediaType, "unsupported_content_type");
        await ErrorAssert.IsAsync(await admin.GetAsync($"/admin/tenants/{id}"), HttpStatusCode.NotFound, "tenant_not_found");
        await ErrorAssert.IsAsync(await admin.GetAsync($"/admin/tenants/{id}/usage"), HttpStatusCode.NotFound, "tenant_not_found");
        await ErrorAssert.IsAsync(await admin.PostAsync($"/admin/tenants/{id}/keys", null), HttpStatusCode.NotFound, "tenant_not_found");
    }

    [Fact]
    public async Task The_operator_cannot_demote_itself_but_a_quota_only_patch_keeps_its_role()
    {
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var path = $"/admin/tenants/{DevelopmentTenantSeeder.OperatorTenantId}";
        using (var quotas = await PutAsync(admin, DevelopmentTenantSeeder.OperatorTenantId, """{"quotas":{"request_burst":500}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, quotas.StatusCode);
        }

        await ErrorAssert.IsAsync(await PutAsync(admin, DevelopmentTenantSeeder.OperatorTenantId, """{"is_operator":false}"""), HttpStatusCode.Conflict, "operator_self_demotion");
        var tenant = await VideoApi.GetAsync(admin, path);
        Assert.True(tenant.GetProperty("is_operator").GetBoolean());
        Assert.Equal(500, tenant.GetProperty("quotas").GetProperty("request_burst").GetInt32());
        using var stillOperator = await admin.GetAsync("/admin/queue");
        Assert.Equal(HttpStatusCode.OK, stillOperator.StatusCode);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient admin, string id, string json) =>
        admin.PutAsync($"/admin/tenants/{id}", new StringContent(json, Encoding.UTF8, "application/json"));

}
