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
        { "json-lone-surrogate-value", HttpStatusCode.BadRequest, "invalid_json", null },
        { "json-lone-surrogate-key", HttpStatusCode.BadRequest, "invalid_json", null },
        { "json-lone-surrogate-metadata", HttpStatusCode.BadRequest, "invalid_json", null },
        { "json-invalid-utf8", HttpStatusCode.BadRequest, "invalid_json", null },
        { "size-fullwidth-digits", HttpStatusCode.BadRequest, "invalid_value", "size" },
        { "size-arabic-indic-digits", HttpStatusCode.BadRequest, "invalid_value", "size" },
        { "prompt-number", HttpStatusCode.BadRequest, "invalid_type", "prompt" },
        { "prompt-boolean", HttpStatusCode.BadRequest, "invalid_type", "prompt" },
        { "prompt-zero-width-only", HttpStatusCode.BadRequest, "invalid_value", "prompt" },
        { "prompt-nul", HttpStatusCode.BadRequest, "invalid_value", "prompt" },
        { "prompt-escape-character", HttpStatusCode.BadRequest, "invalid_value", "prompt" },
        { "negative-prompt-number", HttpStatusCode.BadRequest, "invalid_type", "negative_prompt" },
        { "multipart-truncated", HttpStatusCode.BadRequest, "invalid_form", null },
        { "multipart-wrong-boundary", HttpStatusCode.BadRequest, "invalid_form", null },
        { "multipart-boundary-too-long", HttpStatusCode.BadRequest, "invalid_form", null },
        { "image-garbage-after-png-magic", HttpStatusCode.UnsupportedMediaType, "unsupported_image", "input_reference" },
        { "image-truncated-png", HttpStatusCode.UnprocessableEntity, "invalid_image", "input_reference" },
        { "image-png-over-pixel-budget", HttpStatusCode.UnprocessableEntity, "image_too_many_pixels", "input_reference" },
        { "image-jpeg-marker-only", HttpStatusCode.UnsupportedMediaType, "unsupported_image", "input_reference" },
        { "image-gif", HttpStatusCode.UnsupportedMediaType, "unsupported_image", "input_reference" },
        { "webhook-credentials", HttpStatusCode.UnprocessableEntity, "invalid_value", "webhook_url" },
        { "webhook-plain-http", HttpStatusCode.UnprocessableEntity, "invalid_value", "webhook_url" },
        { "webhook-loopback", HttpStatusCode.UnprocessableEntity, "webhook_url_refused", "webhook_url" },
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
        "json-lone-surrogate-value" => Json("""{"prompt":"a cat \ud800","model":"mova-tiny"}"""),
        "json-lone-surrogate-key" => Json("""{"\udfff":"x","prompt":"a cat","model":"mova-tiny"}"""),
        "json-lone-surrogate-metadata" => Json("""{"prompt":"a cat","model":"mova-tiny","metadata":{"k":"\ud83d"}}"""),
        "json-invalid-utf8" => Bytes([.. "{\"prompt\":\"a c"u8, 0xC3, 0x28, 0xFF, .. "t\",\"model\":\"mova-tiny\"}"u8], "application/json"),
        "size-fullwidth-digits" => Json("""{"prompt":"a cat","model":"mova-tiny","size":"６４x４８"}"""),
        "size-arabic-indic-digits" => Json("""{"prompt":"a cat","model":"mova-tiny","size":"٦٤x٤٨"}"""),
        "prompt-number" => Json("""{"prompt":1,"model":"mova-tiny"}"""),
        "prompt-boolean" => Json("""{"prompt":true,"model":"mova-tiny"}"""),
        "prompt-zero-width-only" => Json("""{"prompt":"\u200b\u200c\u200d\u2060\ufeff","model":"mova-tiny"}"""),
        "prompt-nul" => Json("""{"prompt":"\u0000","model":"mova-tiny"}"""),
        "prompt-escape-character" => Json("""{"prompt":"a cat\u001b[31m","model":"mova-tiny"}"""),
        "negative-prompt-number" => Json("""{"prompt":"a cat","negative_prompt":5,"model":"mova-tiny"}"""),
        "multipart-truncated" => Bytes(Encoding.UTF8.GetBytes("--b1\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na cat\r\n--b1\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nmova-t"), "multipart/form-data; boundary=b1"),
        "multipart-wrong-boundary" => Bytes(Encoding.UTF8.GetBytes("--b1\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na cat\r\n--b1--\r\n"), "multipart/form-data; boundary=b2"),
        "multipart-boundary-too-long" => Bytes(Encoding.UTF8.GetBytes("--x\r\n"), "multipart/form-data; boundary=" + new string('b', 200)),
        "image-garbage-after-png-magic" => Multipart([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "garbage where IHDR should be"u8]),
        "image-truncated-png" => Multipart(TestPngs.Solid(64, 48)[..60]),
        "image-png-over-pixel-budget" => Multipart(TestPngs.HeaderClaiming(10_000, 10_000)),
        "image-jpeg-marker-only" => Multipart([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]),
        "image-gif" => Multipart([.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, .. ";"u8]),
        "webhook-credentials" => Json("""{"prompt":"a cat","model":"mova-tiny","webhook_url":"https://user:secret@example.com/hook"}"""),
        "webhook-plain-http" => Json("""{"prompt":"a cat","model":"mova-tiny","webhook_url":"http://example.com/hook"}"""),
        "webhook-loopback" => Json("""{"prompt":"a cat","model":"mova-tiny","webhook_url":"https://127.0.0.1:8443/hook"}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

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
