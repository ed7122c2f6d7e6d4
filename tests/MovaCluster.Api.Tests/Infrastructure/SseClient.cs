using System.Globalization;
using System.Text.Json;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>Reads a text/event-stream response event by event.</summary>
public static class SseClient
{
    /// <summary>Reads events until the server ends the stream, <paramref name="stopAfter"/> says stop, or the timeout passes.</summary>
    public static async Task<List<ServerSentEvent>> ReadAsync(
        HttpClient client, string path, long? lastEventId = null, Func<ServerSentEvent, bool>? stopAfter = null, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation.Token)}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token));
        var events = new List<ServerSentEvent>();
        long? eventId = null;
        string? type = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null && data is not null)
                {
                    var received = new ServerSentEvent(eventId, type, JsonDocument.Parse(data).RootElement.Clone());
                    events.Add(received);
                    if (stopAfter?.Invoke(received) == true)
                    {
                        return events;
                    }
                }

                (eventId, type, data) = (null, null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = long.Parse(line[4..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return events;
    }
}
