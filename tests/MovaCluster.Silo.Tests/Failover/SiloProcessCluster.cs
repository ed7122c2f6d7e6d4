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
    private IHost? _client;

    private SiloProcessCluster(string clusterId, string clipFolder)
    {
        ClusterId = clusterId;
        ClipFolder = clipFolder;
    }

    public string ClusterId { get; }

    public string ClipFolder { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The client has not connected.");

    /// <summary>Starts the silos and a client, and waits until every silo's worker has registered.</summary>
    public static async Task<SiloProcessCluster> StartAsync(string redis, int silos, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var clusterId = "mova-proc-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = new SiloProcessCluster(clusterId, Directory.CreateTempSubdirectory("mova-proc-clips-").FullName);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                var siloPort = FreePort.Next();
                var environment = new Dictionary<string, string>(settings)
                {
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
                    ["DOTNET_gcServer"] = "0",
                    ["Mova__Cluster__Mode"] = "Redis",
                    ["Mova__Cluster__RedisConnectionString"] = redis,
                    ["Mova__Cluster__ClusterId"] = clusterId,
                    ["Mova__Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                    ["Mova__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                    ["Mova__Storage__Provider"] = "LocalDisk",
                    ["Mova__Storage__LocalDisk__RootPath"] = cluster.ClipFolder,
                    ["Logging__Console__FormatterName"] = "simple",
                    ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                    ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
                    ["Logging__LogLevel__Default"] = "Information",
                    ["Logging__LogLevel__Orleans"] = "Warning",
                    ["Logging__LogLevel__Polly"] = "Warning",
                    ["Logging__LogLevel__Microsoft"] = "Warning",
                    ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
                };
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
    public string Logs(int lines = 60) => "\n" + string.Join('\n', _silos.Select(silo => silo.Tail(lines)));

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

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
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

    private async Task WaitForSilosAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_silos.All(silo => silo.LinesContaining("Application started").Count > 0))
        {
            if (_silos.FirstOrDefault(silo => silo.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"Silo process {dead.Name} exited with code {dead.ExitCode} while starting.{Logs()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The silo processes did not all start within {timeout.TotalSeconds:F0} s.{Logs()}");
            }

            await Task.Delay(100);
        }
    }

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
