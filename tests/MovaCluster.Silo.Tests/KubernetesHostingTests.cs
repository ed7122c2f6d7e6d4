using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MovaCluster.ServiceDefaults.Cluster;
using Orleans.Configuration;

namespace MovaCluster.Silo.Tests;

/// <summary>
/// The silo's endpoints with and without Kubernetes hosting (the Helm chart turns it on): as a pod, Orleans takes the
/// pod's name and IP from the downward API and keeps the configured ports. Only the options are built here; starting
/// such a silo needs a Kubernetes API server.
/// </summary>
[Collection(PodEnvironmentCollection.Name)]
public sealed class KubernetesHostingTests
{
    [Fact]
    public void As_a_pod_the_silo_is_named_after_it_and_advertises_its_ip_on_the_configured_ports()
    {
        Environment.SetEnvironmentVariable("POD_NAME", "mova-silo-3");
        Environment.SetEnvironmentVariable("POD_NAMESPACE", "mova");
        Environment.SetEnvironmentVariable("POD_IP", "10.42.7.19");
        try
        {
            using var host = Build(new ClusterHostingOptions { Mode = ClusterMode.Redis, SiloPort = 21111, GatewayPort = 23000, KubernetesHosting = true });
            var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;

            Assert.Equal(IPAddress.Parse("10.42.7.19"), endpoints.AdvertisedIPAddress);
            Assert.Equal((21111, 23000), (endpoints.SiloPort, endpoints.GatewayPort));
            Assert.Equal(new IPEndPoint(IPAddress.Any, 21111), endpoints.SiloListeningEndpoint);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 23000), endpoints.GatewayListeningEndpoint);
            Assert.Equal("mova-silo-3", host.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POD_NAME", null);
            Environment.SetEnvironmentVariable("POD_NAMESPACE", null);
            Environment.SetEnvironmentVariable("POD_IP", null);
        }
    }

    [Fact]
    public void Elsewhere_the_silo_listens_everywhere_and_advertises_a_host_address()
    {
        using var host = Build(new ClusterHostingOptions { Mode = ClusterMode.Redis, SiloPort = 21112, GatewayPort = 23001 });
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;

        Assert.NotNull(endpoints.AdvertisedIPAddress);
        Assert.Equal((21112, 23001), (endpoints.SiloPort, endpoints.GatewayPort));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 21112), endpoints.SiloListeningEndpoint);
        Assert.StartsWith("Silo_", host.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_hosting_outside_redis_mode_is_refused()
    {
        var validation = new ClusterHostingOptionsValidator().Validate(null, new ClusterHostingOptions { KubernetesHosting = true });

        Assert.True(validation.Failed);
        Assert.Contains("Mova:Cluster:KubernetesHosting needs Mova:Cluster:Mode Redis", validation.FailureMessage, StringComparison.Ordinal);
    }

    private static IHost Build(ClusterHostingOptions options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddMovaEndpoints(options));
        return builder.Build();
    }
}
