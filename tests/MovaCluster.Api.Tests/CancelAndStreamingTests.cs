using System.Net.WebSockets;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>
/// On a cluster whose device takes 100 ms per step: cancel while queued and while running, WebSocket and SSE
/// streams with previews and resume, and a client that disconnects mid-job without any effect on the job.
/// </summary>
public sealed class CancelAndStreamingTests : IClassFixture<SlowGatewayFactory>
{
    private readonly SlowGatewayFactory _factory;

    public CancelAndStreamingTests(SlowGatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Cancel_stops_a_running_video_at_a_step_boundary_and_removes_a_queued_one_at_once()
    {
        using var client = _factory.ClientWithKey();
        var running = (await VideoApi.CreateAsync(client, VideoApi.TinyRequest("long", steps: 40))).GetProperty("id").GetString()!;
        var queued = (await VideoApi.CreateAsync(client, VideoApi.TinyRequest("waiting", steps: 40))).GetProperty("id").GetString()!;
        await VideoApi.WaitForStatusAsync(client, running, TimeSpan.FromSeconds(20), "in_progress");
        var waiting = await VideoApi.GetAsync(client, $"/v1/videos/{queued}");
        Assert.Equal("queued", waiting.GetProperty("status").GetString());
        Assert.Equal(0, waiting.GetProperty("queue_position").GetInt32());

        var cancelledQueued = await VideoApi.ReadAsync(await client.PostAsync($"/v1/videos/{queued}/cancel", null));
        Assert.Equal("cancelled", cancelledQueued.GetProperty("status").GetString());

        using var cancelRunning = await client.PostAsync($"/v1/videos/{running}/cancel", null);
        Assert.True(cancelRunning.IsSuccessStatusCode);
        var stopped = await VideoApi.WaitForStatusAsync(client, running, TimeSpan.FromSeconds(20), "cancelled");
        Assert.InRange(stopped.GetProperty("completed_steps").GetInt32(), 1, 39);

        var events = await SseClient.ReadAsync(client, $"/v1/videos/{running}/events");
        Assert.Equal("video.cancelled", events[^1].Type);
        await ErrorAssert.IsAsync(await client.GetAsync($"/v1/videos/{running}/content"), System.Net.HttpStatusCode.Conflict, "video_not_ready");
    }

    [Fact]
    public async Task The_websocket_sends_json_events_and_binary_previews_and_resumes_after_a_sequence()
    {
        using var client = _factory.ClientWithKey();
        var id = (await VideoApi.CreateAsync(client, VideoApi.TinyRequest("watched", steps: 6))).GetProperty("id").GetString()!;
        using var socket = await WebSocketEvents.ConnectAsync(_factory, id);
        var messages = await WebSocketEvents.ReadToEndAsync(socket, TimeSpan.FromSeconds(30));

        Assert.Equal("video.snapshot", messages[0].Json.GetProperty("type").GetString());
        Assert.Equal(id, messages[0].Json.GetProperty("video").GetProperty("id").GetString());
        // Unnumbered place-in-line updates (sequence 0) come while the video waits behind another test's video.
        Assert.All(messages.Skip(1).Where(m => m.Json.GetProperty("sequence").GetInt64() == 0),
            m => Assert.Equal("video.queued", m.Json.GetProperty("type").GetString()));
        var numbered = messages.Skip(1).Where(m => m.Json.GetProperty("sequence").GetInt64() != 0).ToList();
        var sequences = numbered.Select(m => m.Json.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        var previews = numbered.Where(m => m.Image is not null).ToList();
        Assert.NotEmpty(previews);
        Assert.All(previews, preview =>
        {
            Assert.Equal("video.preview", preview.Json.GetProperty("type").GetString());
            Assert.Equal(preview.Json.GetProperty("bytes").GetInt32(), preview.Image!.Length);
        });
        Assert.Equal("video.completed", numbered[^1].Json.GetProperty("type").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);

        // Resume: only what came after the given sequence, then the socket closes again.
        var resumeAfter = sequences[sequences.Count / 2];
        using var resumed = await WebSocketEvents.ConnectAsync(_factory, id, after: resumeAfter);
        var rest = (await WebSocketEvents.ReadToEndAsync(resumed, TimeSpan.FromSeconds(30))).Skip(1)
            .Where(m => m.Json.GetProperty("sequence").GetInt64() != 0).ToList();
        Assert.Equal(sequences.Where(s => s > resumeAfter), rest.Select(m => m.Json.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task Sse_resumes_from_last_event_id_while_the_video_is_still_running()
    {
        using var client = _factory.ClientWithKey();
        var id = (await VideoApi.CreateAsync(client, VideoApi.TinyRequest("resumable", steps: 20))).GetProperty("id").GetString()!;
        var firstPart = await SseClient.ReadAsync(client, $"/v1/videos/{id}/events", stopAfter: e => e.Type == "video.progress" && e.Data.GetProperty("step").GetInt32() == 3);
        var lastSeen = firstPart[^1].Id!.Value;

        var secondPart = await SseClient.ReadAsync(client, $"/v1/videos/{id}/events", lastEventId: lastSeen);
        Assert.Equal("video.snapshot", secondPart[0].Type);
        var resumed = secondPart.Skip(1).Select(e => e.Id!.Value).ToList();
        Assert.Equal(lastSeen + 1, resumed[0]);
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, resumed.Count).Select(i => (long)i), resumed);
        Assert.Equal("video.completed", secondPart[^1].Type);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
            secondPart.Where(e => e.Type == "video.progress").Select(e => e.Data.GetProperty("step").GetInt32()));
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_job_does_not_affect_the_job()
    {
        using var client = _factory.ClientWithKey();
        var id = (await VideoApi.CreateAsync(client, VideoApi.TinyRequest("abandoned", steps: 15))).GetProperty("id").GetString()!;
        using (var socket = await WebSocketEvents.ConnectAsync(_factory, id))
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            for (var i = 0; i < 4; i++)
            {
                Assert.NotNull(await WebSocketEvents.ReceiveAsync(socket, cancellation.Token));
            }

            socket.Abort();
        }

        var sseDropped = await SseClient.ReadAsync(client, $"/v1/videos/{id}/events", stopAfter: e => e.Type == "video.progress");
        Assert.NotEmpty(sseDropped);

        var finished = await VideoApi.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "completed", "failed", "cancelled");
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal(15, finished.GetProperty("completed_steps").GetInt32());
    }
}
