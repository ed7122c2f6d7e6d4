using System.Net;
using System.Text;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>
/// The per-request cache tier: named in JSON or multipart, checked against the operator's tiers (unknown: 400 naming
/// the tiers), run by the worker and reported on the video object with the steps and block evaluations computed.
/// </summary>
public sealed class CacheTierTests(CachingGatewayFactory factory) : IClassFixture<CachingGatewayFactory>
{
    [Fact]
    public async Task A_configured_tier_runs_and_the_video_reports_the_work_it_skipped()
    {
        using var client = factory.ClientWithKey();
        var body = (Dictionary<string, object>)VideoApi.TinyRequest("a kettle whistles on a stove", steps: 6);
        body["cache"] = "quick";

        var created = await VideoApi.CreateAsync(client, body);
        Assert.Equal("quick", created.GetProperty("cache").GetProperty("tier").GetString());
        var id = created.GetProperty("id").GetString()!;
        var done = await VideoApi.WaitForStatusAsync(client, id, TimeSpan.FromMinutes(4), "completed", "failed");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var cache = done.GetProperty("cache");
        Assert.Equal("quick", cache.GetProperty("tier").GetString());
        Assert.Equal("quick", cache.GetProperty("requested_tier").GetString());
        Assert.Equal(6, cache.GetProperty("steps").GetInt32());
        Assert.Equal(12, cache.GetProperty("passes").GetInt32());
        Assert.Equal(24, cache.GetProperty("block_evaluations").GetInt64());
        var computed = cache.GetProperty("block_evaluations_computed").GetInt64();
        Assert.InRange(computed, 12, 23);
        Assert.True(cache.GetProperty("passes_blocks_reused").GetInt32() > 0);
        Assert.Equal(1 - (computed / 24.0), cache.GetProperty("skipped_fraction").GetDouble(), 4);
    }

    [Fact]
    public async Task A_multipart_create_names_a_built_in_tier_in_any_case()
    {
        using var client = factory.ClientWithKey();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a bell rings twice"), "prompt" },
            { new StringContent("mova-tiny"), "model" },
            { new StringContent("64x48"), "size" },
            { new StringContent("9"), "num_frames" },
            { new StringContent("8"), "fps" },
            { new StringContent("2"), "num_inference_steps" },
            { new StringContent("FAST"), "cache" },
        };

        using var response = await client.PostAsync("/v1/videos", form);
        var created = await VideoApi.ReadAsync(response);

        Assert.True(response.IsSuccessStatusCode, created.ToString());
        Assert.Equal("fast", created.GetProperty("cache").GetProperty("tier").GetString());
        var done = await VideoApi.WaitForStatusAsync(client, created.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4), "completed", "failed");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("cache").GetProperty("steps_computed").GetInt32());
    }

    [Fact]
    public async Task Off_or_no_tier_reports_no_cache()
    {
        using var client = factory.ClientWithKey();
        var body = (Dictionary<string, object>)VideoApi.TinyRequest("rain on a tin roof", steps: 2);
        body["cache"] = "off";

        var off = await VideoApi.CreateAsync(client, body);
        var none = await VideoApi.CreateAsync(client, VideoApi.TinyRequest("rain on a tin roof", steps: 2));

        Assert.Equal(JsonValueKind.Null, off.GetProperty("cache").ValueKind);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("cache").ValueKind);
        var stored = await VideoApi.GetAsync(client, $"/v1/videos/{off.GetProperty("id").GetString()}");
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("cache").ValueKind);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("multipart")]
    [InlineData("extra_body")]
    public async Task An_unknown_tier_is_a_400_naming_the_tiers_and_creates_nothing(string shape)
    {
        var (client, _) = await TenantClients.NewTenantWithIdAsync(factory, "cache");
        using (client)
        {
            HttpContent content = shape switch
            {
                "json" => new StringContent("""{"prompt":"a cat","model":"mova-tiny","cache":"ludicrous"}""", Encoding.UTF8, "application/json"),
                "extra_body" => new StringContent("""{"prompt":"a cat","model":"mova-tiny","extra_body":{"cache":"ludicrous"}}""", Encoding.UTF8, "application/json"),
                _ => new MultipartFormDataContent { { new StringContent("a cat"), "prompt" }, { new StringContent("ludicrous"), "cache" } },
            };

            using var response = await client.PostAsync("/v1/videos", content);
            var body = await VideoApi.ReadAsync(response);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = body.GetProperty("error");
            Assert.Equal(("unknown_cache_tier", "cache"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
            Assert.Contains("'ludicrous'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("off, fast, faster, quick", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            var list = await VideoApi.GetAsync(client, "/v1/videos");
            Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        }
    }
}
