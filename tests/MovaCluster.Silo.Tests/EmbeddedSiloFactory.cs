using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests;

/// <summary>The silo host on embedded defaults, on free ports so test runs never collide.</summary>
public sealed class EmbeddedSiloFactory : WebApplicationFactory<SiloHealthCheck>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Mova:Cluster:SiloPort"] = FreePort.Next().ToString(),
        ["Mova:Cluster:GatewayPort"] = FreePort.Next().ToString(),
    };

    public EmbeddedSiloFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
