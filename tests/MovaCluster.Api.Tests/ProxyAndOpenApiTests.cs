using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Testing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace MovaCluster.Api.Tests;

/// <summary>Configuration-driven YARP routes with operator-only access and active destination health checks; the OpenAPI document.</summary>
public sealed class ProxyAndOpenApiTests : IAsyncLifetime
{
    private readonly int _backendPort = FreePort.Next();
    private readonly int _deadPort = FreePort.Next();
    private WebApplication? _backend;
    private GatewayFactory? _factory;

    private GatewayFactory Factory => _factory!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_backendPort}");
        builder.Logging.ClearProviders();
        _backend = builder.Build();
        _backend.MapGet("/health", () => "ok");
        _backend.MapGet("/hello", (HttpRequest request) => $"hello from {request.Path}");
        await _backend.StartAsync();

        _factory = new GatewayFactory()
            .With("ReverseProxy:Routes:internal:ClusterId", "backend")
            .With("ReverseProxy:Routes:internal:Match:Path", "/internal/{**rest}")
            .With("ReverseProxy:Routes:internal:Transforms:0:PathPattern", "/{**rest}")
            .With("ReverseProxy:Routes:internal:Metadata:Mova.Access", "operator")
            .With("ReverseProxy:Clusters:backend:HealthCheck:Active:Enabled", "true")
            .With("ReverseProxy:Clusters:backend:HealthCheck:Active:Interval", "00:00:00.300")
            .With("ReverseProxy:Clusters:backend:HealthCheck:Active:Timeout", "00:00:01")
            .With("ReverseProxy:Clusters:backend:HealthCheck:Active:Policy", "ConsecutiveFailures")
            .With("ReverseProxy:Clusters:backend:HealthCheck:Active:Path", "/health")
            .With("ReverseProxy:Clusters:backend:Destinations:alive:Address", $"http://127.0.0.1:{_backendPort}/")
            .With("ReverseProxy:Clusters:backend:Destinations:dead:Address", $"http://127.0.0.1:{_deadPort}/");
    }

    public async Task DisposeAsync()
    {
        _factory?.Dispose();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_operator_route_proxies_only_for_operators_and_health_checks_take_the_dead_destination_out()
    {
        using var anonymous = Factory.ClientWithKey(null);
        await ErrorAssert.IsAsync(await anonymous.GetAsync("/internal/hello"), HttpStatusCode.Unauthorized, "invalid_api_key");
        using var tenant = Factory.ClientWithKey();
        await ErrorAssert.IsAsync(await tenant.GetAsync("/internal/hello"), HttpStatusCode.Forbidden, "operator_key_required");

        var proxy = Factory.Services.GetRequiredService<IProxyStateLookup>();
        Assert.True(proxy.TryGetCluster("backend", out var cluster));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(Health(cluster, "alive") == DestinationHealth.Healthy && Health(cluster, "dead") == DestinationHealth.Unhealthy))
        {
            Assert.True(DateTime.UtcNow < deadline, $"health: alive={Health(cluster, "alive")}, dead={Health(cluster, "dead")}");
            await Task.Delay(100);
        }

        using var operatorClient = Factory.ClientWithKey(GatewayFactory.OperatorKey);
        for (var i = 0; i < 6; i++)
        {
            using var response = await operatorClient.GetAsync("/internal/hello");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hello from /hello", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_video_routes_and_health_endpoints_answer()
    {
        using var client = Factory.CreateClient();
        var document = await VideoApi.GetAsync(client, "/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/v1/videos", "/v1/videos/{id}", "/v1/videos/{id}/content", "/v1/videos/{id}/cancel", "/v1/videos/{id}/events" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    private static DestinationHealth Health(ClusterState cluster, string destination) =>
        cluster.Destinations.TryGetValue(destination, out var state) ? state.Health.Active : DestinationHealth.Unknown;
}
