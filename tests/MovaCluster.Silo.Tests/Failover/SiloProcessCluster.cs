using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Workers;
using MovaCluster.Testing;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MovaCluster.Silo.Tests.Failover;

/// <summary>
/// Several silo processes forming one Redis-mode cluster (Redis membership, grain storage and checkpoints on the
/// given redis-server, one local-disk clip folder shared by all), and an Orleans client of that cluster.
/// </summary>
public sealed class SiloProcessCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private readonly List<SiloProcess> _gateways = [];
    private IHost? _client;

    private SiloProcessCluster(string redis, string clusterId, string clipFolder, IReadOnlyDictionary<string, string> settings)
    {
        Redis = redis;
        ClusterId = clusterId;
        ClipFolder = clipFolder;
        Settings = settings;
    }

    public string Redis { get; }

    /// <summary>The settings every host of this cluster got (before each host's own ports).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public string ClusterId { get; }

    public string ClipFolder { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IReadOnlyList<SiloProcess> Gateways => _gateways;

    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The client has not connected.");

    /// <summary>Starts the silos and a client, and waits until every silo's worker has registered.</summary>
    public static async Task<SiloProcessCluster> StartAsync(string redis, int silos, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var clusterId = "mova-proc-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = new SiloProcessCluster(redis, clusterId, Directory.CreateTempSubdirectory("mova-proc-clips-").FullName, settings);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                var siloPort = FreePort.Next();
                var environment = cluster.HostEnvironment(settings);
                environment["Mova__Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
                environment["Mova__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
                cluster._silos.Add(SiloProcess.Start($"silo-{i}", siloPort, environment));
            }

            await cluster.WaitForSilosAsync(timeout);
            cluster._client = await ConnectClientAsync(redis, clusterId, timeout);
            var registry = cluster.Client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            await cluster.UntilAsync(registry.ListAsync, list => list.Count == silos, timeout, $"a worker on each of the {silos} silos");
            return cluster;
        }
        catch (Exception failure) when (failure is not TimeoutException and not InvalidOperationException)
        {
            var logs = cluster.Logs();
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"The silo process cluster did not come up: {failure.Message}{logs}", failure);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a gateway host process on this cluster (Redis mode, the shared clip folder, <paramref name="operatorKey"/>)
    /// listening on a free port, and waits until it has connected to the cluster.
    /// </summary>
    public async Task<(SiloProcess Process, Uri Address)> StartGatewayAsync(string operatorKey, TimeSpan timeout, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var environment = HostEnvironment(settings);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["Mova__Gateway__OperatorApiKey"] = operatorKey;
        var gateway = SiloProcess.StartGateway($"gateway-{_gateways.Count}", environment);
        _gateways.Add(gateway);
        await WaitForStartAsync([gateway], timeout);
        return (gateway, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Waits until every given host (restarted or new) logged that it started.</summary>
    public Task WaitForStartAsync(IReadOnlyList<SiloProcess> hosts, TimeSpan timeout) => WaitForStartedAsync(hosts, timeout);

    /// <summary>The process whose silo address (as a worker reports it) is <paramref name="siloAddress"/>.</summary>
    public SiloProcess ProcessOf(string siloAddress)
    {
        var port = SiloAddress.FromParsableString(siloAddress).Endpoint.Port;
        return _silos.SingleOrDefault(silo => silo.SiloPort == port)
            ?? throw new InvalidOperationException($"No silo process listens on port {port} ({siloAddress}).{Logs()}");
    }

    /// <summary>Polls until <paramref name="done"/>; a timeout fails with every silo's recent output.</summary>
    public async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = default(T);
        Exception? lastFailure = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                lastFailure = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                // The cluster is converging (e.g. a grain's silo just died); ask again.
                lastFailure = failure;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Gave up after {timeout.TotalSeconds:F0} s waiting for {what}; last value: {last}; last error: {lastFailure?.Message}{Logs()}");
    }

    /// <summary>Every silo's recent output, for failure messages.</summary>
    public string Logs(int lines = 60) => "\n" + string.Join('\n', _silos.Concat(_gateways).Select(host => host.Tail(lines)));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception failure) when (failure is OperationCanceledException or OrleansException or TimeoutException)
            {
                // The cluster may already be gone; the processes are killed below either way.
            }

            _client.Dispose();
        }

        foreach (var host in _gateways.Concat(_silos))
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(ClipFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private Task WaitForSilosAsync(TimeSpan timeout) => WaitForStartedAsync(_silos, timeout);

    private async Task WaitForStartedAsync(IReadOnlyList<SiloProcess> hosts, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!hosts.All(host => host.LinesContaining(host.Starts == 1 ? "Application started" : $"[start {host.Starts}]", "Application started").Count > 0))
        {
            if (hosts.FirstOrDefault(host => host.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"Host process {dead.Name} exited with code {dead.ExitCode} while starting.{Logs()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host processes did not all start within {timeout.TotalSeconds:F0} s.{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>What every host of this cluster runs with: Redis mode on its Redis and cluster id, the shared clip folder, readable logs.</summary>
    private Dictionary<string, string> HostEnvironment(IReadOnlyDictionary<string, string> settings) => new(settings)
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        ["DOTNET_gcServer"] = "0",
        ["Mova__Cluster__Mode"] = "Redis",
        ["Mova__Cluster__RedisConnectionString"] = Redis,
        ["Mova__Cluster__ClusterId"] = ClusterId,
        ["Mova__Storage__Provider"] = "LocalDisk",
        ["Mova__Storage__LocalDisk__RootPath"] = ClipFolder,
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Orleans"] = "Warning",
        ["Logging__LogLevel__Microsoft"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };

    private static async Task<IHost> ConnectClientAsync(string redis, string clusterId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var builder = Host.CreateApplicationBuilder();
            // The silo's appsettings.json sits in this folder too; the client's own logs would only add noise.
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(client =>
            {
                client.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = "mova-cluster";
                });
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return host;
            }
            catch (Exception failure) when (DateTime.UtcNow < deadline && failure is not OutOfMemoryException)
            {
                // The gateways are not in the membership table yet; try with a fresh client.
                host.Dispose();
                await Task.Delay(500);
            }
        }
    }
}
