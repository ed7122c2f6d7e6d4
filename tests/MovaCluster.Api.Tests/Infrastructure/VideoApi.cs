using System.Net.Http.Json;
using System.Text.Json;
using MovaCluster.Api.Json;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>Small helpers over the HTTP API, in the wire format.</summary>
public static class VideoApi
{
    public static async Task<JsonElement> CreateAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        using var response = await SendCreateAsync(client, body, idempotencyKey);
        var json = await ReadAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"create failed: {(int)response.StatusCode} {json}");
        return json;
    }

    public static async Task<HttpResponseMessage> SendCreateAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos")
        {
            Content = JsonContent.Create(body, options: GatewayJson.Options),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var json = await ReadAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} failed: {(int)response.StatusCode} {json}");
        return json;
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls the video until its status is one of <paramref name="statuses"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, TimeSpan timeout, params string[] statuses)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var video = await GetAsync(client, $"/v1/videos/{id}");
            if (statuses.Contains(video.GetProperty("status").GetString()))
            {
                return video;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Video {id} is still {video.GetProperty("status")} after {timeout}; wanted {string.Join("/", statuses)}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A small, fast request for the tiny model.</summary>
    public static object TinyRequest(string prompt = "a red fox runs through snow", int steps = 4) => new Dictionary<string, object>
    {
        ["prompt"] = prompt,
        ["model"] = "mova-tiny",
        ["size"] = "64x48",
        ["num_frames"] = 9,
        ["fps"] = 8,
        ["num_inference_steps"] = steps,
        ["seed"] = 42,
    };
}
