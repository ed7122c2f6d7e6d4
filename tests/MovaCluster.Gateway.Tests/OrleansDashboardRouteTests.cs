using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Gateway.Tests;

/// <summary>The Orleans dashboard, served by the silo, reached through the gateway's YARP route with an operator key.</summary>
public sealed class OrleansDashboardRouteTests
{
    [Fact]
    public async Task The_gateway_forwards_the_orleans_dashboard_to_the_silo_for_operators_only()
    {
        await using var silo = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.Zero);
        silo.StartServer();
        await using var gateway = new StandaloneGatewayFactory(silo);
        using var client = gateway.CreateClient();

        using var anonymous = await client.GetAsync("/orleans-dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var tenantRequest = new HttpRequestMessage(HttpMethod.Get, "/orleans-dashboard/");
        tenantRequest.Headers.Authorization = Basic(DevelopmentKeys.Tenant);
        using var tenant = await client.SendAsync(tenantRequest);
        Assert.Equal(HttpStatusCode.Forbidden, tenant.StatusCode);

        using var operatorRequest = new HttpRequestMessage(HttpMethod.Get, "/orleans-dashboard/");
        operatorRequest.Headers.Authorization = Basic(DevelopmentKeys.Operator);
        using var page = await client.SendAsync(operatorRequest);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"Proxied dashboard answered {(int)page.StatusCode}: {html}");
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Orleans", html, StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Basic(string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + key)));
}
