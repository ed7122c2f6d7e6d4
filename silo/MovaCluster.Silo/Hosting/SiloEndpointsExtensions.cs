using System.Net;
using MovaCluster.ServiceDefaults.Cluster;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Microsoft.Extensions.Hosting;

public static class SiloEndpointsExtensions
{
    /// <summary>
    /// Listens for silos and clients on every address. As a Kubernetes pod the advertised address and the silo's name
    /// are the pod's (<c>POD_IP</c>, <c>POD_NAME</c>) and Orleans follows the namespace's pods; elsewhere the
    /// advertised address is this host's first non-loopback address.
    /// </summary>
    public static ISiloBuilder AddMovaEndpoints(this ISiloBuilder silo, ClusterHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.KubernetesHosting)
        {
            return silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        }

        // Set here, before any post-configuration: Orleans' own default address would otherwise win over the pod IP
        // that Kubernetes hosting only fills in where nothing has been set.
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, options.GatewayPort);
            if (IPAddress.TryParse(Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable), out var podIp))
            {
                endpoints.AdvertisedIPAddress = podIp;
            }
        });
        return silo.UseKubernetesHosting();
    }
}
