extern alias GatewayHost;

using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Gateway.Tests;

/// <summary>
/// The standalone gateway host (gateway/MovaCluster.Gateway's Program: an Orleans client, no silo) connected to a
/// <see cref="LiveSiloFactory{TSiloEntryPoint}"/> silo, with its "orleans-dashboard" YARP route pointed at that silo's HTTP port.
/// </summary>
public sealed class StandaloneGatewayFactory(LiveSiloFactory<SiloHealthCheck> silo) : WebApplicationFactory<GatewayHost::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Mova:Cluster:GatewayPort", silo.OrleansGatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ReverseProxy:Clusters:orleans-dashboard:Destinations:silo:Address", silo.BaseAddress.ToString());
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
