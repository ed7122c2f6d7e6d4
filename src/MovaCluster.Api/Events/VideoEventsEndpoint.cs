using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Videos;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Api.Events;

/// <summary>
/// <c>GET /v1/videos/{id}/events</c>: a WebSocket (JSON text events, previews as binary frames) or, for any other
/// request, Server-Sent Events (previews as base64 in the event data). Both start with a <c>video.snapshot</c> and
/// resume after the sequence given as <c>?after=</c> or the <c>Last-Event-ID</c> header. The connection only reads:
/// a client that leaves changes nothing about the job.
/// </summary>
public static class VideoEventsEndpoint
{
    /// <summary>How long the server waits for the client to answer its close frame.</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public static async Task HandleAsync(HttpContext context, string id, VideoService videos, JobEventHub hub, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(options);
        var tenant = TenantContext.Get(context);
        var after = ResumePoint(context.Request);
        var (record, job) = await videos.FindAsync(tenant, id, context.RequestAborted);
        await using var watcher = await hub.WatchAsync(id, after, context.RequestAborted);
        var current = await job.GetAsync();
        watcher.SawQueuePosition(current.Status == JobStatus.Queued ? current.QueuePosition : null, current.EstimatedRemaining);
        var snapshot = VideoObjectMapper.Map(record, current, options.Value.AssetLifetime);
        var opening = new JsonObject
        {
            ["type"] = "video.snapshot",
            ["video"] = JsonSerializer.SerializeToNode(snapshot, GatewayJson.Options),
        };
        if (context.WebSockets.IsWebSocketRequest)
        {
            await StreamWebSocketAsync(context, watcher, opening, options.Value.EventHeartbeatInterval);
        }
        else
        {
            await StreamServerSentEventsAsync(context, watcher, opening, options.Value.EventHeartbeatInterval);
        }
    }

    private static long ResumePoint(HttpRequest request)
    {
        var text = request.Query["after"].ToString();
        if (text.Length == 0)
        {
            text = request.Query["last_event_id"].ToString();
        }

        if (text.Length == 0)
        {
            text = request.Headers["Last-Event-ID"].ToString();
        }

        if (text.Length == 0)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new ApiErrorException(ApiError.BadRequest("invalid_value", "The resume point (after, last_event_id or Last-Event-ID) must be a non-negative integer.", "after"));
    }

    private static async Task StreamWebSocketAsync(HttpContext context, JobEventWatcher watcher, JsonObject opening, TimeSpan heartbeat)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var receiving = DrainUntilClosedAsync(socket, closed);
        try
        {
            await SendTextAsync(socket, opening, closed.Token);
            await foreach (var item in watcher.ReadAllAsync(heartbeat, closed.Token))
            {
                if (item is null)
                {
                    // Browsers never see ping frames: a message keeps the page's own idle timers quiet too.
                    await SendTextAsync(socket, new JsonObject { ["type"] = "heartbeat", ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, closed.Token);
                    continue;
                }

                var message = WebSocketEventMessage.Of(item);
                await socket.SendAsync(message.Bytes, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, closed.Token);
            }

            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "video finished");
        }
        catch (JobEventsLaggedException lagged)
        {
            // 1013 "try again later": the client reconnects with ?after=<last sequence>.
            await CloseAsync(socket, (WebSocketCloseStatus)1013, $"lagging; resume after {lagged.LastSequence}");
        }
        catch (Exception failure) when (failure is OperationCanceledException or WebSocketException)
        {
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "closed by the client");
        }
        finally
        {
            // Let the client's close frame arrive before tearing down: aborting at once resets the TCP connection,
            // and a reset can destroy the last events still unread in the client's buffer.
            await Task.WhenAny(receiving, Task.Delay(CloseHandshakeTimeout, CancellationToken.None));
            await closed.CancelAsync();
            await receiving;
        }
    }

    private static async Task DrainUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var message = await socket.ReceiveAsync(buffer, closed.Token);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception failure) when (failure is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await closed.CancelAsync();
        }
    }

    private static Task SendTextAsync(WebSocket socket, JsonObject json, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception failure) when (failure is OperationCanceledException or WebSocketException)
            {
            }
        }
    }

    private static async Task StreamServerSentEventsAsync(HttpContext context, JobEventWatcher watcher, JsonObject opening, TimeSpan heartbeat)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var cancellation = context.RequestAborted;
        try
        {
            await WriteEventAsync(response, null, "video.snapshot", opening, cancellation);
            await foreach (var item in watcher.ReadAllAsync(heartbeat, cancellation))
            {
                if (item is null)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellation);
                    await response.Body.FlushAsync(cancellation);
                    continue;
                }

                await response.Body.WriteAsync(ServerSentEventMessage.Of(item), cancellation);
                await response.Body.FlushAsync(cancellation);
            }
        }
        catch (JobEventsLaggedException lagged)
        {
            await WriteEventAsync(response, null, "error", new JsonObject
            {
                ["type"] = "error",
                ["code"] = "lagging",
                ["message"] = $"Reconnect with Last-Event-ID {lagged.LastSequence} to resume.",
            }, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, long? id, string type, JsonObject payload, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(ServerSentEventMessage.Format(id, type, payload), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
