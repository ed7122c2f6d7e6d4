using System.Net;
using System.Net.Sockets;
using MovaCluster.ServiceDefaults.Cluster;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Microsoft.Extensions.Hosting;

public static class SiloEndpointsExtensions
{
    /// <summary>
    /// Listens for silos and clients on every address and advertises <see cref="ClusterHostingOptions.AdvertisedAddress"/>:
    /// as a Kubernetes pod that defaults to the pod's IP (<c>POD_IP</c>), the silo is named after its pod
    /// (<c>POD_NAME</c>) and Orleans follows the namespace's pods; elsewhere, without a setting, Orleans advertises this
    /// host's first non-loopback address.
    /// </summary>
    public static ISiloBuilder AddMovaEndpoints(this ISiloBuilder silo, ClusterHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var advertised = AdvertisedAddress(options);
        if (advertised is null && !options.KubernetesHosting)
        {
            return silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        }

        // Set here, before any post-configuration: Orleans' own default address would otherwise win over the one
        // chosen here (Kubernetes hosting only fills in the pod IP where nothing has been set).
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, options.GatewayPort);
            if (advertised is not null)
            {
                endpoints.AdvertisedIPAddress = advertised;
            }
        });
        return options.KubernetesHosting ? silo.UseKubernetesHosting() : silo;
    }

    /// <summary>The configured address (an IP, or a host name resolved now to its first IPv4 address), else the pod's IP as a pod.</summary>
    private static IPAddress? AdvertisedAddress(ClusterHostingOptions options)
    {
        var configured = options.AdvertisedAddress;
        if (string.IsNullOrWhiteSpace(configured) && options.KubernetesHosting)
        {
            configured = Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable);
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        if (IPAddress.TryParse(configured, out var address))
        {
            return address;
        }

        var addresses = Dns.GetHostAddresses(configured);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"{ClusterHostingOptions.SectionName}:AdvertisedAddress '{configured}' resolves to no address.");
    }
}
