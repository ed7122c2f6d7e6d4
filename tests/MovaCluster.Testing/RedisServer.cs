using System.Diagnostics;
using StackExchange.Redis;

namespace MovaCluster.Testing;

/// <summary>
/// A real redis-server on a free loopback port, owned by the test run: without persistence by default, or with an
/// append-only file in its own folder (<see cref="StartPersistentAsync"/>), so it can be stopped and started again on
/// the same port with its data, as a Redis restart in production.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string? _dataFolder;
    private Process? _process;

    private RedisServer(int port, string? dataFolder)
    {
        Port = port;
        _dataFolder = dataFolder;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new RedisServer(FreePort.Next(), dataFolder: null);
        await server.StartProcessAsync(cancellationToken);
        return server;
    }

    /// <summary>A server that keeps its data in an append-only file (fsync on every write), across <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public static async Task<RedisServer> StartPersistentAsync(CancellationToken cancellationToken = default)
    {
        var server = new RedisServer(FreePort.Next(), Directory.CreateTempSubdirectory("mova-redis-").FullName);
        await server.StartProcessAsync(cancellationToken);
        return server;
    }

    /// <summary>Stops the server (SIGTERM: it writes what it holds and exits); clients see connections refused until it is back.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term!.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Starts the stopped server again on the same port, with its data when it is persistent.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartProcessAsync(cancellationToken);

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"redis-server on port {Port} is already running.");
        }

        _process?.Dispose();
        var binary = ExternalTool.Require("redis-server", "redis-server");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] persistence = _dataFolder is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _dataFolder];
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--daemonize", "no" }.Concat(persistence))
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(_process, cancellationToken);
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before accepting connections on port {Port}.");
            }

            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},connectTimeout=500,abortConnect=true");
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception failure) when (failure is RedisConnectionException or RedisServerException && DateTime.UtcNow < deadline)
            {
                // Not listening yet, or still loading its append-only file.
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_dataFolder is not null)
        {
            try
            {
                Directory.Delete(_dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }
}
