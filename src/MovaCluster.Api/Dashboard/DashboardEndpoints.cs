using System.Text.Json;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Planning;
using MovaCluster.Api.Dashboard.Model;
using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Dashboard;

/// <summary>
/// /dashboard: the page (static, carries no data) and, behind the operator key, its data: one frame, the live
/// frame stream (server-sent events), preview strips and the cancel and re-prioritise actions.
/// </summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/dashboard", (HttpContext context) => DashboardAssets.Serve(context, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/assets/{name}", (HttpContext context, string name) => DashboardAssets.Serve(context, name)).ExcludeFromDescription();
        return app;
    }

    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.WithTags("Dashboard");
        api.MapGet("/frame", async (DashboardSampler sampler) => Results.Json(sampler.Latest ?? await sampler.SampleAsync(), DashboardJson.Options));
        api.MapGet("/stream", StreamAsync);
        api.MapGet("/plan", async (IClusterClient cluster) =>
            await cluster.GetGrain<IClusterPlanGrain>(0).GetAsync() is { } plan
                ? Results.Json(plan, DashboardJson.Options)
                : ApiError.NotFound("plan_not_published", "No silo has published an execution plan yet.", "plan"));
        api.MapGet("/jobs/{jobId}/preview", (string jobId, DashboardSampler sampler) =>
        {
            if (sampler.PreviewOf(jobId) is not { } strip)
            {
                return ApiError.NotFound("preview_not_found", $"No preview of job '{jobId}' on the dashboard.", "job_id");
            }

            return BrowserImage.ForBrowser(strip.Image, strip.ContentType) is { } shown
                ? Results.Bytes(shown.Body, shown.ContentType)
                : ApiError.UnsupportedMediaType("preview_format", $"The preview of job '{jobId}' is {strip.ContentType}, which browsers cannot show.");
        });
        api.MapPost("/jobs/{jobId}/cancel", async (string jobId, IClusterClient cluster) =>
        {
            if (!IsJobId(jobId))
            {
                return NoSuchJob(jobId);
            }

            var job = cluster.GetGrain<IJobGrain>(jobId);
            if ((await job.GetAsync()).Status == JobStatus.Unknown)
            {
                return NoSuchJob(jobId);
            }

            return Results.Json(await job.CancelAsync(), DashboardJson.Options);
        });
        api.MapPost("/jobs/{jobId}/priority/{priority}", async (string jobId, string priority, IClusterClient cluster) =>
        {
            if (!Enum.TryParse<JobPriority>(priority, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ApiError.BadRequest("invalid_value", $"Priority '{priority}' is not one of {string.Join(", ", Enum.GetNames<JobPriority>())}.", "priority");
            }

            if (!IsJobId(jobId))
            {
                return NoSuchJob(jobId);
            }

            var job = cluster.GetGrain<IJobGrain>(jobId);
            var before = await job.GetAsync();
            if (before.Status == JobStatus.Unknown)
            {
                return NoSuchJob(jobId);
            }

            if (before.Status != JobStatus.Queued)
            {
                return ApiError.Conflict("job_not_queued", $"Job '{jobId}' is {before.Status}; only a queued job can change its priority.", "job_id");
            }

            return Results.Json(await job.ReprioritizeAsync(parsed), DashboardJson.Options);
        });
        return api;
    }

    /// <summary>Job ids are grain keys: blank ones, control characters and absurd lengths are nobody's job (and Orleans refuses them).</summary>
    private static bool IsJobId(string jobId) =>
        !string.IsNullOrWhiteSpace(jobId) && jobId.Length <= 256 && !jobId.Any(char.IsControl);

    private static ApiError NoSuchJob(string jobId) => ApiError.NotFound("job_not_found", $"No job '{jobId}'.", "job_id");

    /// <summary>Server-sent events: one "frame" event per sample, until the operator closes the page.</summary>
    private static async Task StreamAsync(HttpContext context, DashboardSampler sampler)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        DashboardFrame? sent = null;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var frame = await sampler.NextAsync(sent, aborted);
                await response.WriteAsync("event: frame\ndata: ", aborted);
                await JsonSerializer.SerializeAsync(response.Body, frame, DashboardJson.Options, aborted);
                await response.WriteAsync("\n\n", aborted);
                await response.Body.FlushAsync(aborted);
                sent = frame;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page was closed.
        }
    }
}
