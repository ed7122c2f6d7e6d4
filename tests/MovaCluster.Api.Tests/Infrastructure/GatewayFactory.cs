using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// The embedded silo host (jobs, queue, one cpu worker running the tiny random-weights MOVA) serving the gateway, on free ports, with its
/// own clip folder. Settings can be changed before the first client is created. The host counts as started once its
/// worker has registered (creates for a model no live worker serves are refused), unless <see cref="WaitForWorkers"/> is off.
/// With the synthetic test device, the catalog's mova-tiny is routed to it unless a test routes it elsewhere.
/// </summary>
public class GatewayFactory : WebApplicationFactory<SiloHealthCheck>
{
    public static readonly TimeSpan WorkerPatience = TimeSpan.FromMinutes(3);

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

    /// <summary>Whether starting the host waits for its device workers to register. Default true.</summary>
    public bool WaitForWorkers { get; set; } = true;

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
        if (_settings.GetValueOrDefault("Mova:Execution:Executor") == "Synthetic")
        {
            _settings.TryAdd("Mova:Gateway:Models:mova-tiny:WorkerModel", SyntheticGenerationExecutor.ModelName);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (WaitForWorkers)
        {
            var devices = host.Services.GetRequiredService<IOptions<ExecutionOptions>>().Value.EffectiveDevices.Count;
            var registry = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            Task.Run(() => Eventually.HoldsAsync(() => registry.ListAsync(), workers => workers.Count >= devices, WorkerPatience, "the host's device workers to register"))
                .GetAwaiter().GetResult();
        }

        return host;
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
