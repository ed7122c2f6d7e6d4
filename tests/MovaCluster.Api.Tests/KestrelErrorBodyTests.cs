using System.Text;
using System.Text.Json;
using MovaCluster.Api.Tests.Fuzz;

namespace MovaCluster.Api.Tests;

/// <summary>
/// Requests Kestrel refuses before any middleware runs (request line or headers over its limits, broken syntax, an
/// HTTP version it does not speak) still get a JSON error, shaped for the path of the request line when Kestrel read
/// one, and never a 5xx.
/// </summary>
public sealed class KestrelErrorBodyTests(FuzzGateway gateway) : IClassFixture<FuzzGateway>
{
    [Fact]
    public async Task Headers_too_large_on_v1_get_an_openai_error_and_elsewhere_problem_details()
    {
        var big = new string('h', 40_000);
        var v1 = await SendAsync($"GET /v1/videos HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
        Assert.Equal(431, v1.Status);
        Assert.Equal("application/json", v1.ContentType);
        Assert.Equal("headers_too_large", Json(v1).GetProperty("error").GetProperty("code").GetString());

        var admin = await SendAsync($"GET /admin/queue HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
        Assert.Equal(431, admin.Status);
        Assert.Equal("application/problem+json", admin.ContentType);
        Assert.Equal(431, Json(admin).GetProperty("status").GetInt32());
        Assert.Equal("/admin/queue", Json(admin).GetProperty("instance").GetString());
    }

    [Fact]
    public async Task A_url_too_long_is_414_with_a_body()
    {
        var answer = await SendAsync($"GET /v1/{new string('a', 12_000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(414, answer.Status);
        Assert.Equal("url_too_long", Json(answer).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_http_version_is_a_400_not_a_505_and_garbage_gets_both_shapes()
    {
        var version = await SendAsync("GET /health HTTP/9.9\r\nHost: x\r\n\r\n");
        Assert.Equal(400, version.Status);
        Assert.Equal("http_version_not_supported", Json(version).GetProperty("code").GetString());

        var garbage = await SendAsync("GARBAGE\r\n\r\n");
        Assert.Equal(400, garbage.Status);
        var body = Json(garbage);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal("malformed_request", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_overflowing_chunk_size_on_a_create_is_a_400_and_creates_nothing()
    {
        var before = await gateway.ListAsync(gateway.TenantKey);
        var answer = await SendAsync(
            $"POST /v1/videos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {gateway.TenantKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n");
        Assert.Equal(400, answer.Status);
        Assert.NotNull(Json(answer).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(before, await gateway.ListAsync(gateway.TenantKey));
    }

    private async Task<RawAnswer> SendAsync(string request) =>
        await RawHttp.SendAsync(gateway.Port, Encoding.Latin1.GetBytes(request), closeAfterSending: false, TimeSpan.FromSeconds(20))
            ?? throw new Xunit.Sdk.XunitException("no answer");

    private static JsonElement Json(RawAnswer answer) => JsonDocument.Parse(answer.Body).RootElement.Clone();
}
