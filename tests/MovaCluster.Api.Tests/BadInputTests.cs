using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>
/// Every invalid create gets an OpenAI-shaped error with the right status, and nothing is created, queued or
/// charged: the tenant's list stays empty and its usage stays 0.
/// </summary>
public sealed class BadInputTests : IClassFixture<GatewayFactory>
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    private readonly GatewayFactory _factory;

    public BadInputTests(GatewayFactory factory) => _factory = factory;

    public static TheoryData<string, HttpStatusCode, string, string?> Cases() => new()
    {
        { "bad-json", HttpStatusCode.BadRequest, "invalid_json", null },
        { "json-array", HttpStatusCode.BadRequest, "invalid_json", null },
        { "missing-prompt", HttpStatusCode.BadRequest, "missing_required_parameter", "prompt" },
        { "unknown-model", HttpStatusCode.BadRequest, "model_not_found", "model" },
        { "model-not-served", HttpStatusCode.BadRequest, "model_not_served", "model" },
        { "size-zero", HttpStatusCode.UnprocessableEntity, "invalid_value", "size" },
        { "size-snapped-too-big", HttpStatusCode.UnprocessableEntity, "invalid_value", "size" },
        { "size-garbage", HttpStatusCode.BadRequest, "invalid_value", "size" },
        { "size-too-big", HttpStatusCode.UnprocessableEntity, "invalid_value", "size" },
        { "frames-not-4k1", HttpStatusCode.UnprocessableEntity, "invalid_value", "num_frames" },
        { "seconds-not-4k1", HttpStatusCode.UnprocessableEntity, "invalid_value", "seconds" },
        { "steps-not-number", HttpStatusCode.BadRequest, "invalid_type", "num_inference_steps" },
        { "steps-too-many", HttpStatusCode.UnprocessableEntity, "invalid_value", "num_inference_steps" },
        { "prompt-too-long", HttpStatusCode.UnprocessableEntity, "string_above_max_length", "prompt" },
        { "priority-unknown", HttpStatusCode.UnprocessableEntity, "invalid_value", "priority" },
        { "metadata-not-object", HttpStatusCode.BadRequest, "invalid_type", "metadata" },
        { "webhook-not-http", HttpStatusCode.UnprocessableEntity, "invalid_value", "webhook_url" },
        { "image-remote-url", HttpStatusCode.UnprocessableEntity, "unsupported_value", "input_reference" },
        { "image-not-image", HttpStatusCode.UnsupportedMediaType, "unsupported_image", "input_reference" },
        { "image-data-url-not-image", HttpStatusCode.UnsupportedMediaType, "unsupported_image", "input_reference" },
        { "image-too-large", HttpStatusCode.RequestEntityTooLarge, "image_too_large", "input_reference" },
        { "body-too-large", HttpStatusCode.RequestEntityTooLarge, "request_too_large", null },
        { "text-plain", HttpStatusCode.UnsupportedMediaType, "unsupported_content_type", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_invalid_create_is_refused_with_an_openai_error_and_creates_nothing(string name, HttpStatusCode status, string code, string? param)
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(_factory, "bad");
        using (client)
        {
            using var response = await client.PostAsync("/v1/videos", Body(name));
            await ErrorAssert.IsAsync(response, status, code, param);

            var list = await VideoApi.GetAsync(client, "/v1/videos");
            Assert.Equal(0, list.GetProperty("data").GetArrayLength());
            using var admin = _factory.ClientWithKey(GatewayFactory.OperatorKey);
            var usage = await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage");
            Assert.Equal(0, usage.GetProperty("video_seconds_today").GetDouble());
            var queue = await VideoApi.GetAsync(admin, "/admin/queue");
            Assert.DoesNotContain(queue.GetProperty("tenants").EnumerateArray(), entry => entry.GetProperty("tenant_id").GetString() == tenantId);
        }
    }

    [Fact]
    public async Task Requests_without_a_valid_key_get_401_and_unknown_videos_404()
    {
        using var anonymous = _factory.ClientWithKey(null);
        await ErrorAssert.IsAsync(await anonymous.GetAsync("/v1/videos"), HttpStatusCode.Unauthorized, "invalid_api_key");
        using var wrong = _factory.ClientWithKey("mova_sk_not_a_key");
        await ErrorAssert.IsAsync(await wrong.PostAsync("/v1/videos", Json("""{"prompt":"x"}""")), HttpStatusCode.Unauthorized, "invalid_api_key");

        using var client = _factory.ClientWithKey();
        await ErrorAssert.IsAsync(await client.GetAsync($"/v1/videos/video_{new string('0', 32)}"), HttpStatusCode.NotFound, "video_not_found", "video_id");
        await ErrorAssert.IsAsync(await client.GetAsync("/v1/videos/not-an-id/content"), HttpStatusCode.NotFound, "video_not_found", "video_id");
        await ErrorAssert.IsAsync(await client.PostAsync($"/v1/videos/video_{new string('1', 32)}/cancel", null), HttpStatusCode.NotFound, "video_not_found");
        await ErrorAssert.IsAsync(await client.GetAsync("/v1/videos?limit=0"), HttpStatusCode.BadRequest, "invalid_value", "limit");
        await ErrorAssert.IsAsync(await client.GetAsync("/v1/videos?after=video_nope"), HttpStatusCode.BadRequest, "invalid_cursor", "after");
        await ErrorAssert.IsAsync(await client.GetAsync("/admin/queue"), HttpStatusCode.Forbidden, "operator_key_required");
    }

    [Fact]
    public async Task Cancelling_a_completed_video_is_a_conflict()
    {
        using var client = _factory.ClientWithKey();
        var id = (await VideoApi.CreateAsync(client, VideoApi.TinyRequest())).GetProperty("id").GetString()!;
        await VideoApi.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "completed");
        await ErrorAssert.IsAsync(await client.PostAsync($"/v1/videos/{id}/cancel", null), HttpStatusCode.Conflict, "video_already_finished");
        await ErrorAssert.IsAsync(await client.GetAsync($"/v1/videos/{id}/content?variant=poster"), HttpStatusCode.BadRequest, "invalid_value", "variant");
    }

    private static HttpContent Body(string name) => name switch
    {
        "bad-json" => Json("""{"prompt": "a cat",,}"""),
        "json-array" => Json("""["prompt"]"""),
        "missing-prompt" => Json("""{"model":"mova-tiny"}"""),
        "unknown-model" => Json("""{"prompt":"a cat","model":"sora-3"}"""),
        "model-not-served" => Json("""{"prompt":"a cat","model":"mova-360p","size":"640x352"}"""),
        "size-zero" => Json("""{"prompt":"a cat","model":"mova-tiny","size":"0x48"}"""),
        "size-snapped-too-big" => Json("""{"prompt":"a cat","model":"mova-tiny","size":"265x48"}"""),
        "size-garbage" => Json("""{"prompt":"a cat","model":"mova-tiny","size":"big"}"""),
        "size-too-big" => Json("""{"prompt":"a cat","model":"mova-tiny","size":"1280x720"}"""),
        "frames-not-4k1" => Json("""{"prompt":"a cat","model":"mova-tiny","num_frames":10}"""),
        "seconds-not-4k1" => Json("""{"prompt":"a cat","model":"mova-tiny","seconds":"1","fps":6}"""),
        "steps-not-number" => Json("""{"prompt":"a cat","model":"mova-tiny","num_inference_steps":"many"}"""),
        "steps-too-many" => Json("""{"prompt":"a cat","model":"mova-tiny","num_inference_steps":5000}"""),
        "prompt-too-long" => Json($$"""{"prompt":"{{new string('a', 4001)}}","model":"mova-tiny"}"""),
        "priority-unknown" => Json("""{"prompt":"a cat","model":"mova-tiny","priority":"urgent"}"""),
        "metadata-not-object" => Json("""{"prompt":"a cat","model":"mova-tiny","metadata":"x"}"""),
        "webhook-not-http" => Json("""{"prompt":"a cat","model":"mova-tiny","webhook_url":"ftp://example.com/hook"}"""),
        "image-remote-url" => Json("""{"prompt":"a cat","model":"mova-tiny","input_reference":{"image_url":"https://example.com/cat.png"}}"""),
        "image-data-url-not-image" => Json($$$"""{"prompt":"a cat","model":"mova-tiny","input_reference":{"image_url":"data:image/png;base64,{{{Convert.ToBase64String(Encoding.UTF8.GetBytes("not really a png"))}}}"}}"""),
        "image-not-image" => Multipart(Encoding.UTF8.GetBytes("%PDF-1.7 definitely not an image")),
        "image-too-large" => Multipart([.. Png, .. new byte[9 << 20]]),
        "body-too-large" => Json($$"""{"prompt":"{{new string('a', 17 << 20)}}"}"""),
        "text-plain" => new StringContent("prompt=a cat", Encoding.UTF8, "text/plain"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static MultipartFormDataContent Multipart(byte[] image)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("a cat"), "prompt" },
            { new StringContent("mova-tiny"), "model" },
        };
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "input_reference", "reference.png");
        return form;
    }
}
