using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// The embedded silo host (jobs, queue, one cpu worker running the tiny random-weights MOVA) serving the gateway, on free ports, with its
/// own clip folder. Settings can be changed before the first client is created.
/// </summary>
public class GatewayFactory : WebApplicationFactory<SiloHealthCheck>
{
    public const string DevKey = DevelopmentKeys.Tenant;
    public const string OperatorKey = DevelopmentKeys.Operator;

    private readonly Dictionary<string, string?> _settings;

    public GatewayFactory()
    {
        ClipDirectory = Path.Combine(Path.GetTempPath(), "mova-gateway-tests", Guid.NewGuid().ToString("N"));
        _settings = new()
        {
            ["Mova:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mova:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mova:Storage:Provider"] = "LocalDisk",
            ["Mova:Storage:LocalDisk:RootPath"] = ClipDirectory,
            ["Mova:Gateway:Webhooks:InitialRetryDelay"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    public string ClipDirectory { get; }

    public GatewayFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>A client of the in-memory test server that sends the given API key.</summary>
    public HttpClient ClientWithKey(string? apiKey = DevKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(ClipDirectory))
        {
            Directory.Delete(ClipDirectory, recursive: true);
        }
    }
}
