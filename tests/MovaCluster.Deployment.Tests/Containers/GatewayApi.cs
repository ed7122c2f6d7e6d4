using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>The played gateway's HTTP API as a customer and an operator use it.</summary>
public sealed class GatewayApi(Uri baseAddress, string operatorKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Creates a tenant and issues its first key, with the operator key the chart put in a Secret.</summary>
    public async Task<string> IssueTenantKeyAsync(string tenant)
    {
        using (var upsert = Request(HttpMethod.Put, $"/admin/tenants/{tenant}", operatorKey))
        {
            upsert.Content = JsonContent.Create(new JsonObject());
            await SendAsync(upsert);
        }

        using var issue = Request(HttpMethod.Post, $"/admin/tenants/{tenant}/keys", operatorKey);
        return (await SendAsync(issue))["api_key"]!.GetValue<string>();
    }

    public async Task<string> CreateVideoAsync(string key, JsonObject body)
    {
        using var create = Request(HttpMethod.Post, "/v1/videos", key);
        create.Content = JsonContent.Create(body);
        return (await SendAsync(create))["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> GetVideoAsync(string key, string id)
    {
        using var get = Request(HttpMethod.Get, $"/v1/videos/{id}", key);
        return await SendAsync(get);
    }

    /// <summary>The workers the registry knows (operator endpoint): device, silo address, running job.</summary>
    public async Task<JsonArray> WorkersAsync()
    {
        using var get = Request(HttpMethod.Get, "/admin/workers", operatorKey);
        using var response = await _http.SendAsync(get);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    public async Task<byte[]> DownloadAsync(string key, string id)
    {
        using var get = Request(HttpMethod.Get, $"/v1/videos/{id}/content", key);
        using var response = await _http.SendAsync(get);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode
            ? bytes
            : throw new HttpRequestException($"GET /v1/videos/{id}/content answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
    }

    /// <summary>Every event of a finished video, replayed from the start over Server-Sent Events.</summary>
    public async Task<IReadOnlyList<JsonObject>> EventsAsync(string key, string id, TimeSpan timeout)
    {
        using var get = Request(HttpMethod.Get, $"/v1/videos/{id}/events?after=0", key);
        using var cancel = new CancellationTokenSource(timeout);
        using var response = await _http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var events = new List<JsonObject>();
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var item = JsonNode.Parse(line["data:".Length..])!.AsObject();
            events.Add(item);
            if (item["type"]?.GetValue<string>() is "video.completed" or "video.failed" or "video.cancelled")
            {
                break;
            }
        }

        return events;
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage Request(HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private async Task<JsonObject> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new HttpRequestException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text}");
    }
}
