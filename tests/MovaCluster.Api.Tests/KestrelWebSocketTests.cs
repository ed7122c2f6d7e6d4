using System.Net.WebSockets;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests;

/// <summary>
/// The events WebSocket over a real Kestrel socket (the in-memory test server hides TCP): a finished video's replay
/// arrives in full and ends with a clean close handshake, never a connection reset.
/// </summary>
public sealed class KestrelWebSocketTests : IDisposable
{
    private readonly GatewayFactory _factory = new();

    [Fact]
    public async Task A_finished_videos_events_replay_completely_and_close_normally_over_tcp()
    {
        var port = FreePort.Next();
        _factory.UseKestrel(port);
        _factory.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.DevKey);
        var id = (await VideoApi.CreateAsync(http, VideoApi.TinyRequest())).GetProperty("id").GetString()!;
        var finished = await VideoApi.WaitForStatusAsync(http, id, TimeSpan.FromSeconds(30), "completed");

        for (var round = 0; round < 5; round++)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", $"Bearer {GatewayFactory.DevKey}");
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/v1/videos/{id}/events"), CancellationToken.None);
            var messages = await WebSocketEvents.ReadToEndAsync(socket, TimeSpan.FromSeconds(20));
            Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
            Assert.Equal("video.completed", messages[^1].Json.GetProperty("type").GetString());
            Assert.Equal(finished.GetProperty("last_event_id").GetInt64(), messages[^1].Json.GetProperty("sequence").GetInt64());
        }
    }

    public void Dispose() => _factory.Dispose();
}
