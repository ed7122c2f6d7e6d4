using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MovaCluster.Silo.Tests.Faults;

/// <summary>Tenants for the fault tests, made through a gateway's operator API with quotas that never get in the way.</summary>
public static class TenantKeys
{
    /// <summary>Creates (or updates) <paramref name="tenant"/> and returns a new API key for it.</summary>
    public static async Task<string> IssueAsync(Uri gateway, string operatorKey, string tenant)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        var quotas = new JsonObject
        {
            ["max_running_jobs"] = 8, ["max_queued_jobs"] = 1000, ["video_seconds_per_day"] = 1_000_000, ["requests_per_second"] = 1000, ["request_burst"] = 2000,
        };
        (await http.PutAsJsonAsync($"/admin/tenants/{tenant}", new JsonObject { ["quotas"] = quotas })).EnsureSuccessStatusCode();
        using var issued = await http.PostAsync($"/admin/tenants/{tenant}/keys", null);
        issued.EnsureSuccessStatusCode();
        return JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["api_key"]!.GetValue<string>();
    }
}
