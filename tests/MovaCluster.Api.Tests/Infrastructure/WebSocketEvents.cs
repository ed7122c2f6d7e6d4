using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>Reads the events WebSocket: JSON text messages and binary preview frames.</summary>
public static class WebSocketEvents
{
    public static async Task<WebSocket> ConnectAsync(GatewayFactory factory, string id, long? after = null, string apiKey = GatewayFactory.DevKey)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {apiKey}";
        var query = after is { } sequence ? $"?after={sequence}" : "";
        return await client.ConnectAsync(new Uri(factory.Server.BaseAddress, $"v1/videos/{id}/events{query}".Replace("http", "ws", StringComparison.Ordinal)), CancellationToken.None);
    }

    /// <summary>The next message: JSON for text, or for binary the preview's metadata JSON plus its image bytes. Null when the server closed.</summary>
    public static async Task<(JsonElement Json, byte[]? Image)?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
        }
        while (!result.EndOfMessage);

        var bytes = buffer.ToArray();
        if (result.MessageType == WebSocketMessageType.Text)
        {
            return (JsonDocument.Parse(bytes).RootElement.Clone(), null);
        }

        Assert.Equal(4u, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        var metadataLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
        var metadata = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, metadataLength)).RootElement.Clone();
        return (metadata, bytes[(8 + metadataLength)..]);
    }

    /// <summary>Every message until the server closes the socket.</summary>
    public static async Task<List<(JsonElement Json, byte[]? Image)>> ReadToEndAsync(WebSocket socket, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var messages = new List<(JsonElement, byte[]?)>();
        while (await ReceiveAsync(socket, cancellation.Token) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }
}
