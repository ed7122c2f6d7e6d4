using MovaCluster.ServiceDefaults.Cluster;
using Orleans.Configuration;

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

        // Ports only: Kubernetes hosting fills the advertised address (the pod IP) and the any-address listeners
        // only where nothing set them before.
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
        });
        return silo.UseKubernetesHosting();
    }
}
