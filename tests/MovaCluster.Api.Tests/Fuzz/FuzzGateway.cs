using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>
/// The embedded cluster on a real Kestrel port (raw sockets need TCP) with the synthetic zero-delay device, so the
/// creates the fuzzer gets accepted finish at once; jobs of the large models wait forever (no worker holds them),
/// since running them would only cost time. Holds the fuzzing tenant and a bystander tenant with one video.
/// </summary>
public sealed class FuzzGateway : GatewayFactory, IAsyncLifetime
{
    public FuzzGateway()
    {
        Port = FreePort.Next();
        With("Mova:Execution:Executor", "Synthetic");
        With("Mova:Execution:Synthetic:StepDelay", "00:00:00");
        With("Mova:Gateway:Models:mova-360p:WorkerModel", "no-worker-holds-this");
        With("Mova:Gateway:Models:mova-720p:WorkerModel", "no-worker-holds-this");
        With("Mova:Queue:MaxQueuedPerTenant", "100000");
        With("Logging:LogLevel:Default", "Error");
        UseKestrel(Port);
    }

    public int Port { get; }

    public HttpClient Http { get; private set; } = null!;

    public string TenantId { get; private set; } = "";

    public string TenantKey { get; private set; } = "";

    public string BystanderId { get; private set; } = "";

    public string BystanderKey { get; private set; } = "";

    public string BystanderVideo { get; private set; } = "";

    public async Task InitializeAsync()
    {
        StartServer();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
        (TenantId, TenantKey) = await NewTenantAsync("fuzz");
        (BystanderId, BystanderKey) = await NewTenantAsync("bystander");
        using var bystander = Client(BystanderKey);
        BystanderVideo = (await VideoApi.CreateAsync(bystander, VideoApi.TinyRequest("the bystander's own"))).GetProperty("id").GetString()!;
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return client;
    }

    private async Task<(string Id, string Key)> NewTenantAsync(string name)
    {
        using var admin = Client(OperatorKey);
        var id = $"{name}-{Guid.NewGuid():N}"[..Math.Min(64, name.Length + 33)];
        var quotas = new Dictionary<string, object>
        {
            ["requests_per_second"] = 1_000_000, ["request_burst"] = 1_000_000, ["max_queued_jobs"] = 100_000, ["video_seconds_per_day"] = 1e9,
        };
        using (var put = await admin.PutAsJsonAsync($"/admin/tenants/{id}", new { quotas }, GatewayJson.Options))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var issued = await admin.PostAsync($"/admin/tenants/{id}/keys", null);
        var key = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("api_key").GetString()!;
        return (id, key);
    }

    public async Task<double> UsageAsync(string tenantId)
    {
        using var admin = Client(OperatorKey);
        return (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble();
    }

    /// <summary>Every video id the tenant's listing holds, page by page.</summary>
    public async Task<HashSet<string>> ListAsync(string key)
    {
        using var client = Client(key);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = await VideoApi.GetAsync(client, "/v1/videos?limit=100" + (after is null ? "" : "&after=" + after));
            foreach (var video in page.GetProperty("data").EnumerateArray())
            {
                ids.Add(video.GetProperty("id").GetString()!);
            }

            if (!page.GetProperty("has_more").GetBoolean())
            {
                return ids;
            }

            after = page.GetProperty("last_id").GetString();
        }
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Http.Dispose();
        return DisposeAsync().AsTask();
    }

    public static double SecondsOf(JsonElement video) => double.Parse(video.GetProperty("seconds").GetString()!, CultureInfo.InvariantCulture);
}
