using System.Net;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Api.Tests;

/// <summary>
/// Jobs run only on workers serving their model, and results say what ran: on the embedded default (the tiny
/// random-weights MOVA) a request without a model gets mova-tiny and its video names the worker's model; /v1/models
/// says what is served; a model no live worker serves is refused at create, a video larger than its workers take too,
/// and where the operator lets videos wait for a worker the wait is visible and bounded, and ends refunded.
/// </summary>
public sealed class ModelRoutingTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task The_models_endpoint_says_which_model_is_served_by_what_and_its_limits()
    {
        using var client = factory.ClientWithKey();

        var models = await VideoApi.GetAsync(client, "/v1/models");
        var tiny = await VideoApi.GetAsync(client, "/v1/models/mova-tiny");
        var p360 = await VideoApi.GetAsync(client, "/v1/models/mova-360p");
        using var unknown = await client.GetAsync("/v1/models/sora-2");

        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal(["mova-360p", "mova-720p", "mova-tiny"], models.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()));
        Assert.Equal("model", tiny.GetProperty("object").GetString());
        Assert.True(tiny.GetProperty("served").GetBoolean());
        Assert.True(tiny.GetProperty("default").GetBoolean());
        Assert.True(tiny.GetProperty("output_is_noise").GetBoolean());
        Assert.Equal(WorkerModelNames.TinyRandomWeights, tiny.GetProperty("worker_model").GetString());
        Assert.Equal(1, tiny.GetProperty("num_gpus").GetInt32());
        Assert.Equal("TI2V", tiny.GetProperty("task_type").GetString());
        Assert.Equal("MOVAPipeline", tiny.GetProperty("pipeline_class").GetString());
        Assert.Equal("fp32", tiny.GetProperty("dit_precision").GetString());
        var limits = tiny.GetProperty("limits");
        Assert.Equal("64x48", limits.GetProperty("default_size").GetString());
        Assert.Equal(256L * 256 * 49, limits.GetProperty("max_worker_volume").GetInt64());
        Assert.False(p360.GetProperty("served").GetBoolean());
        Assert.False(p360.GetProperty("default").GetBoolean());
        Assert.Equal("MOVA-360p", p360.GetProperty("worker_model").GetString());
        Assert.Equal(0, p360.GetProperty("num_gpus").GetInt32());
        await ErrorAssert.IsAsync(unknown, HttpStatusCode.NotFound, "model_not_found", "model");
    }

    [Fact]
    public async Task A_request_without_a_model_runs_on_what_is_served_and_names_the_model_that_ran_it()
    {
        using var client = factory.ClientWithKey();

        var created = await VideoApi.CreateAsync(client, new Dictionary<string, object> { ["prompt"] = "a paper boat in a gutter", ["seed"] = 3 });
        var id = created.GetProperty("id").GetString()!;
        var finished = await VideoApi.WaitForStatusAsync(client, id, TimeSpan.FromMinutes(2), "completed", "failed");

        Assert.Equal("mova-tiny", created.GetProperty("model").GetString());
        Assert.Equal("64x48", created.GetProperty("size").GetString());
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal("mova-tiny", finished.GetProperty("model").GetString());
        Assert.Equal(WorkerModelNames.TinyRandomWeights, finished.GetProperty("worker_model").GetString());
    }

    [Fact]
    public async Task A_model_no_live_worker_serves_is_refused_at_create_and_nothing_is_charged()
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(factory, "unserved");
        using var _ = client;
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);

        using var response = await VideoApi.SendCreateAsync(client, new Dictionary<string, object> { ["prompt"] = "a harbour at dawn", ["model"] = "mova-360p", ["size"] = "640x352" });
        var error = await ErrorAssert.IsAsync(response, HttpStatusCode.BadRequest, "model_not_served", "model");

        Assert.Contains("MOVA-360p", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("mova-tiny", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await VideoApi.GetAsync(client, "/v1/videos")).GetProperty("data").GetArrayLength());
        Assert.Equal(0, (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble());
    }

    [Fact]
    public async Task A_video_larger_than_every_live_worker_of_its_model_takes_is_refused_at_create()
    {
        await using var small = new GatewayFactory()
            .With("Mova:Execution:Executor", "Synthetic")
            .With("Mova:Execution:Synthetic:MaxVolume", (64 * 48 * 9).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = small.ClientWithKey();

        using var fits = await VideoApi.SendCreateAsync(client, Tiny(frames: 9));
        using var tooLarge = await VideoApi.SendCreateAsync(client, Tiny(frames: 17));

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        var error = await ErrorAssert.IsAsync(tooLarge, HttpStatusCode.UnprocessableEntity, "no_worker_fits", "size");
        Assert.Contains("27,648", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_videos_may_wait_for_a_worker_the_wait_is_visible_bounded_and_refunded()
    {
        await using var waiting = new GatewayFactory().With("Mova:Gateway:WorkerWait", "00:00:03");
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(waiting, "waits");
        using var _ = client;
        using var admin = waiting.ClientWithKey(GatewayFactory.OperatorKey);

        var created = await VideoApi.CreateAsync(client, new Dictionary<string, object>
        {
            ["prompt"] = "a ferry crossing at night", ["model"] = "mova-360p", ["size"] = "640x352", ["num_frames"] = 9, ["fps"] = 8, ["num_inference_steps"] = 4,
        });
        var id = created.GetProperty("id").GetString()!;
        var charged = (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble();
        var events = await SseClient.ReadAsync(client, $"/v1/videos/{id}/events", timeout: TimeSpan.FromSeconds(60));
        var failed = await VideoApi.GetAsync(client, $"/v1/videos/{id}");
        var refunded = (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble();

        Assert.Equal("queued", created.GetProperty("status").GetString());
        Assert.Equal("waiting_for_worker", created.GetProperty("queued_reason").GetString());
        Assert.Equal(1, charged);
        var queued = events.First(item => item.Type == "video.queued");
        Assert.Equal("waiting_for_worker", queued.Data.GetProperty("reason").GetString());
        Assert.DoesNotContain(events, item => item.Type == "video.started");
        Assert.Equal("video.failed", events[^1].Type);
        Assert.Equal("no_worker_available", events[^1].Data.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("no_worker_available", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("worker_model").ValueKind);
        Assert.Equal(0, refunded);
    }

    private static Dictionary<string, object> Tiny(int frames) => new()
    {
        ["prompt"] = "a kite over dunes", ["model"] = "mova-tiny", ["size"] = "64x48", ["num_frames"] = frames, ["fps"] = 8, ["num_inference_steps"] = 2,
    };
}
