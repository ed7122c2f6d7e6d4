using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests;

/// <summary>
/// What a waiting or short-lived video owes its client: an event stream that keeps showing it is alive and says when
/// the video moves up the queue, the charge given back when it ends before its first step, and a deleted video that
/// its Idempotency-Key cannot bring back. One simulated device at 100 ms per step, so a video can be held in line.
/// </summary>
public sealed class WaitingJobTests(WaitingJobTests.Cluster cluster) : IClassFixture<WaitingJobTests.Cluster>
{
    /// <summary>The slow cluster with heartbeats and queue positions every 300 ms.</summary>
    public sealed class Cluster : SlowGatewayFactory
    {
        public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(300);

        public Cluster()
        {
            With("Mova:Gateway:EventHeartbeatInterval", Heartbeat.ToString());
            With("Mova:Gateway:QueuePositionInterval", Heartbeat.ToString());
        }
    }

    [Fact]
    public async Task A_queued_videos_stream_keeps_beating_and_reports_each_move_up_the_queue()
    {
        var (client, _) = await TenantClients.NewTenantWithIdAsync(cluster, "waiter", Generous);
        using (client)
        {
            // Two videos ahead of the watched one: seconds of waiting, many heartbeat intervals.
            await Create(client, "first", steps: 24);
            await Create(client, "second", steps: 24);
            var watched = await Create(client, "watched", steps: 2);

            var (heartbeats, waited, silence, events) = await ReadSseAsync(client, $"/v1/videos/{watched}/events", TimeSpan.FromSeconds(90));

            Assert.Equal("video.completed", events[^1].Type);
            var positions = events.Where(e => e.Type == "video.queued").Select(e => e.Data.GetProperty("queue_position").GetInt32()).ToList();
            Assert.True(positions.Distinct().Count() >= 2, $"queue positions seen: [{string.Join(", ", positions)}]");
            // Never back up the line; a place may be told twice when its estimate moved (a loaded run saw [1, 1, 0]).
            Assert.Equal(positions.OrderByDescending(p => p), positions);
            Assert.All(events.Where(e => e.Type == "video.queued"), e => Assert.True(e.Data.GetProperty("eta_seconds").GetDouble() > 0));
            // Not one heartbeat at the start and then silence: heartbeats all through the wait the client saw, so its
            // longest silence is a small part of it (queue updates count as signs of life too; timers on a loaded host
            // fire late, so no exact count is asked for).
            Assert.True(waited >= 4 * Cluster.Heartbeat, $"The video waited only {waited.TotalSeconds:F1} s: too short to tell");
            Assert.True(heartbeats >= 2, $"{heartbeats} heartbeats in a wait of {waited.TotalSeconds:F1} s at one per {Cluster.Heartbeat.TotalMilliseconds} ms of quiet");
            Assert.True(silence < waited / 2, $"The stream was silent for {silence.TotalSeconds:F1} s of a {waited.TotalSeconds:F1} s wait ({heartbeats} heartbeats)");
        }
    }

    [Fact]
    public async Task A_video_cancelled_before_its_first_step_is_refunded_and_one_cancelled_after_it_is_not()
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(cluster, "refunded", Generous);
        using (client)
        {
            var running = await Create(client, "runs first", steps: 30);
            var queued = await Create(client, "never runs", steps: 2);
            Assert.Equal(2.0, await UsageAsync(tenantId));

            await CancelAsync(client, queued);
            await WaitForAsync(async () => await UsageAsync(tenantId) == 1.0, TimeSpan.FromSeconds(20), "the queued video's second given back");

            await VideoApi.WaitForStatusAsync(client, running, TimeSpan.FromSeconds(30), "in_progress");
            await WaitForAsync(async () => (await VideoApi.GetAsync(client, $"/v1/videos/{running}")).GetProperty("progress").GetDouble() > 0,
                TimeSpan.FromSeconds(30), "the running video past its first step");
            await CancelAsync(client, running);
            await VideoApi.WaitForStatusAsync(client, running, TimeSpan.FromSeconds(30), "cancelled");
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // more than two of the refunder's polls
            Assert.Equal(1.0, await UsageAsync(tenantId));
        }
    }

    [Fact]
    public async Task An_idempotency_key_of_a_deleted_video_answers_409_and_charges_nothing()
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(cluster, "deleter", Generous);
        using (client)
        {
            var request = VideoApi.TinyRequest("delete me", steps: 2);
            var id = (await VideoApi.CreateAsync(client, request, idempotencyKey: "key-1")).GetProperty("id").GetString()!;
            await VideoApi.WaitForStatusAsync(client, id, TimeSpan.FromSeconds(30), "completed");
            using (var deleted = await client.DeleteAsync($"/v1/videos/{id}"))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }

            using var again = await VideoApi.SendCreateAsync(client, request, idempotencyKey: "key-1");
            await ErrorAssert.IsAsync(again, HttpStatusCode.Conflict, "video_deleted", "Idempotency-Key");
            Assert.Equal(1.0, await UsageAsync(tenantId));
            Assert.Equal(0, (await VideoApi.GetAsync(client, "/v1/videos")).GetProperty("data").GetArrayLength());
            using var gone = await client.GetAsync($"/v1/videos/{id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    private static readonly Dictionary<string, object> Generous = new() { ["requests_per_second"] = 100, ["request_burst"] = 100, ["max_queued_jobs"] = 10 };

    private static async Task<string> Create(HttpClient client, string prompt, int steps) =>
        (await VideoApi.CreateAsync(client, VideoApi.TinyRequest(prompt, steps))).GetProperty("id").GetString()!;

    private static async Task CancelAsync(HttpClient client, string id)
    {
        using var cancel = await client.PostAsync($"/v1/videos/{id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {(int)cancel.StatusCode}");
    }

    private async Task<double> UsageAsync(string tenantId)
    {
        using var admin = cluster.ClientWithKey(GatewayFactory.OperatorKey);
        return (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Reads an SSE stream to its end: the heartbeat comments that came before the video started counted, with how long
    /// that wait was and its longest time without a line, and the events parsed.
    /// </summary>
    private static async Task<(int Heartbeats, TimeSpan Waited, TimeSpan Silence, List<(string Type, JsonElement Data)> Events)> ReadSseAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? waited = null;
        var lastLine = TimeSpan.Zero;
        var silence = TimeSpan.Zero;
        using var cancellation = new CancellationTokenSource(timeout);
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token), Encoding.UTF8);
        var heartbeats = 0;
        var events = new List<(string, JsonElement)>();
        string? type = null;
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (waited is null && line.Length > 0)
            {
                silence = TimeSpan.FromTicks(Math.Max(silence.Ticks, (clock.Elapsed - lastLine).Ticks));
                lastLine = clock.Elapsed;
            }

            if (line.StartsWith(':'))
            {
                heartbeats += waited is null ? 1 : 0;
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
                waited ??= type == "video.started" ? clock.Elapsed : null;
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
            {
                events.Add((type, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        return (heartbeats, waited ?? clock.Elapsed, silence, events);
    }
}
