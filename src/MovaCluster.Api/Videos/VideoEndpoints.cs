using System.Globalization;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Events;
using MovaCluster.Api.Json;
using MovaCluster.Api.Loras;
using MovaCluster.Api.Models;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Webhooks;

namespace MovaCluster.Api.Videos;

/// <summary>The OpenAI-compatible <c>/v1/videos</c> routes.</summary>
public static class VideoEndpoints
{
    public const string PollAfterHeader = "openai-poll-after-ms";
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 255;

    public static RouteGroupBuilder MapVideoEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var videos = api.MapGroup("/videos").WithTags("Videos");
        // No Accepts() metadata: it would make routing answer other content types with a bare 415 instead of an API error.
        videos.MapPost("/", CreateAsync).WithName("CreateVideo").Produces<VideoObject>();
        videos.MapGet("/", ListAsync).WithName("ListVideos").Produces<VideoList>();
        videos.MapGet("/{id}", GetAsync).WithName("RetrieveVideo").Produces<VideoObject>();
        videos.MapDelete("/{id}", DeleteAsync).WithName("DeleteVideo").Produces<VideoDeleted>();
        videos.MapPost("/{id}/cancel", CancelAsync).WithName("CancelVideo").Produces<VideoObject>();
        videos.MapGet("/{id}/content", ContentAsync).WithName("DownloadVideoContent");
        // SGLang's dialect (MOVA's workflow client falls back to it when a video carries no download_url): the same bytes.
        videos.MapGet("/{id}/download", ContentAsync).WithName("DownloadVideo");
        videos.MapGet("/{id}/events", VideoEventsEndpoint.HandleAsync).WithName("VideoEvents");
        return api;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, VideoRequestReader reader, VideoRequestValidator validator, WebhookAddressGuard webhooks, LoraService loras, VideoService videos,
        ModelAvailability models, ImplicitIdempotency retries, IOptions<GatewayOptions> options)
    {
        var tenant = TenantContext.Get(context);
        var idempotencyKey = context.Request.Headers[IdempotencyHeader].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return ApiError.BadRequest("invalid_value", $"Idempotency-Key is longer than {MaxIdempotencyKeyLength} characters.", IdempotencyHeader);
        }

        var form = await reader.ReadAsync(context.Request, context.RequestAborted);
        var request = validator.Validate(form, form.Get("model") is { Length: > 0 } ? null : await models.DefaultModelAsync());
        request = request with { Generation = request.Generation with { Loras = await loras.ResolveAsync(tenant, form.Loras) } };
        if (request.WebhookUrl is { } webhookUrl)
        {
            await webhooks.CheckAtCreateAsync(webhookUrl, context.RequestAborted);
        }

        var video = idempotencyKey.Length > 0
            ? await videos.CreateAsync(tenant, request, idempotencyKey, context.RequestAborted)
            : await retries.CreateAsync(context, tenant, request, key => videos.CreateAsync(tenant, request, key, context.RequestAborted));
        return VideoResult(context, video, options);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, VideoService videos, IOptions<GatewayOptions> options) =>
        VideoResult(context, await videos.GetAsync(TenantContext.Get(context), id, context.RequestAborted), options);

    private static async Task<IResult> ListAsync(HttpContext context, VideoService videos, IOptions<GatewayOptions> options, string? after, string? limit, string? order)
    {
        int? size = null;
        if (!string.IsNullOrEmpty(limit))
        {
            size = int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ApiErrorException(ApiError.BadRequest("invalid_type", "limit must be an integer.", "limit"));
        }

        var page = await videos.ListAsync(TenantContext.Get(context), after, size, order, context.RequestAborted);
        var links = VideoLinks.BaseOf(context.Request, options.Value.PublicBaseUrl);
        return Results.Json(page with { Data = [.. page.Data.Select(video => VideoLinks.With(video, links, options.Value.DownloadUrlFields))] }, GatewayJson.Options);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string id, VideoService videos) =>
        Results.Json(await videos.DeleteAsync(TenantContext.Get(context), id, context.RequestAborted), GatewayJson.Options);

    private static async Task<IResult> CancelAsync(HttpContext context, string id, VideoService videos, IOptions<GatewayOptions> options) =>
        VideoResult(context, await videos.CancelAsync(TenantContext.Get(context), id, context.RequestAborted), options);

    private static async Task<IResult> ContentAsync(HttpContext context, string id, string? variant, VideoService videos) =>
        await videos.OpenContentAsync(TenantContext.Get(context), id, variant, context.RequestAborted);

    private static IResult VideoResult(HttpContext context, VideoObject video, IOptions<GatewayOptions> options)
    {
        context.Response.Headers[PollAfterHeader] = options.Value.PollAfterMilliseconds.ToString(CultureInfo.InvariantCulture);
        return Results.Json(VideoLinks.With(video, VideoLinks.BaseOf(context.Request, options.Value.PublicBaseUrl), options.Value.DownloadUrlFields), GatewayJson.Options);
    }
}
