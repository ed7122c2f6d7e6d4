using System.Net;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>
/// Answers that routing, the host's endpoints and the operator gates give: never an empty or plain-text error. /v1
/// speaks OpenAI's error shape, everything else problem details; /health, /alive and /metrics only answer GET and HEAD.
/// </summary>
public sealed class SurfaceErrorTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/metrics")]
    public async Task Health_and_metrics_answer_get_and_head_and_refuse_other_methods_with_405_problem_details(string path)
    {
        using var client = factory.ClientWithKey(null);
        using (var get = await client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        foreach (var method in new[] { "PUT", "DELETE", "POST", "TRACE", "FOO", "PATCH" })
        {
            using var refused = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            await ErrorAssert.IsAsync(refused, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
            Assert.Contains("GET", refused.Content.Headers.Allow, StringComparer.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_json_errors_in_their_surfaces_shape()
    {
        using var client = factory.ClientWithKey();
        await ErrorAssert.IsAsync(await client.GetAsync("/no/such/route"), HttpStatusCode.NotFound, "not_found");
        await ErrorAssert.IsAsync(await client.GetAsync("/v1/models-that-do-not-exist"), HttpStatusCode.NotFound, "not_found");
        await ErrorAssert.IsAsync(await client.PutAsync("/v1/videos", null), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await ErrorAssert.IsAsync(await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/dashboard/api/frame")), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task The_operator_gates_refuse_with_problem_details()
    {
        using var anonymous = factory.ClientWithKey(null);
        using var refused = await anonymous.GetAsync("/orleans-dashboard/");
        await ErrorAssert.IsAsync(refused, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Contains("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var tenant = factory.ClientWithKey();
        await ErrorAssert.IsAsync(await tenant.GetAsync("/orleans-dashboard/"), HttpStatusCode.Forbidden, "operator_key_required");
        await ErrorAssert.IsAsync(await tenant.GetAsync("/admin/queue"), HttpStatusCode.Forbidden, "operator_key_required");
        await ErrorAssert.IsAsync(await anonymous.GetAsync("/dashboard/api/frame"), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [InlineData("/dashboard/api/jobs/%20/cancel")]
    [InlineData("/dashboard/api/jobs/%09/cancel")]
    [InlineData("/dashboard/api/jobs/%20/priority/batch")]
    public async Task A_blank_job_id_on_the_dashboard_is_a_404_not_a_500(string path)
    {
        using var operatorClient = factory.ClientWithKey(GatewayFactory.OperatorKey);
        await ErrorAssert.IsAsync(await operatorClient.PostAsync(path, null), HttpStatusCode.NotFound, "job_not_found", "job_id");
    }
}
