using System.Net.Http.Json;
using System.Text.Json;
using MovaCluster.Api.Json;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>Creates tenants and keys through the operator endpoints, as an operator would.</summary>
public static class TenantClients
{
    /// <summary>A new tenant (unique id from <paramref name="name"/>) with the given quotas, and a client with its key.</summary>
    public static async Task<HttpClient> NewTenantAsync(GatewayFactory factory, string name, object? quotas = null)
    {
        var (client, _) = await NewTenantWithIdAsync(factory, name, quotas);
        return client;
    }

    public static async Task<(HttpClient Client, string TenantId)> NewTenantWithIdAsync(GatewayFactory factory, string name, object? quotas = null, string? webhookSecret = null)
    {
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var tenantId = $"{name}-{Guid.NewGuid():N}"[..Math.Min(64, name.Length + 33)];
        var body = new Dictionary<string, object?>
        {
            ["quotas"] = quotas ?? new Dictionary<string, object> { ["requests_per_second"] = 1000, ["request_burst"] = 1000, ["max_queued_jobs"] = 100 },
            ["webhook_secret"] = webhookSecret,
        };
        using (var put = await admin.PutAsJsonAsync($"/admin/tenants/{tenantId}", body, GatewayJson.Options))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var issued = await admin.PostAsync($"/admin/tenants/{tenantId}/keys", null);
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        var key = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("api_key").GetString();
        return (factory.ClientWithKey(key), tenantId);
    }
}
