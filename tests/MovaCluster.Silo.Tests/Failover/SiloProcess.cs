using System.Collections.Concurrent;
using System.Diagnostics;

namespace MovaCluster.Silo.Tests.Failover;

/// <summary>
/// A built host (a silo, or with <see cref="StartGateway"/> a gateway) running as its own OS process
/// (<c>dotnet MovaCluster.*.dll</c>), configured through environment variables, with its console output kept for
/// failure messages. <see cref="KillAsync"/> is SIGKILL: no shutdown runs; <see cref="RestartAsync"/> starts the same
/// host again with the same settings (ports included).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ProcessStartInfo _start;
    private Process _process = null!;

    private SiloProcess(string name, int siloPort, ProcessStartInfo start)
    {
        Name = name;
        SiloPort = siloPort;
        _start = start;
    }

    /// <summary>A label for logs and messages (not the Orleans silo name, which the silo picks itself).</summary>
    public string Name { get; }

    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Times this host was started (1 until it is restarted).</summary>
    public int Starts { get; private set; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public static SiloProcess Start(string name, int siloPort, IReadOnlyDictionary<string, string> environment) =>
        Start(name, siloPort, SiloBinary.Path, environment);

    /// <summary>The gateway host (an Orleans client of the cluster serving the API); <see cref="SiloPort"/> is 0.</summary>
    public static SiloProcess StartGateway(string name, IReadOnlyDictionary<string, string> environment) =>
        Start(name, 0, SiloBinary.GatewayPath, environment);

    private static SiloProcess Start(string name, int siloPort, string binary, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(binary)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(binary);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var host = new SiloProcess(name, siloPort, start);
        host.Launch();
        return host;
    }

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process stays, holding its connections open, and answers nothing until it is killed.</summary>
    public async Task PauseAsync()
    {
        using var stop = Process.Start("kill", ["-STOP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await stop.WaitForExitAsync();
        if (stop.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -STOP {_process.Id} ({Name}) exited {stop.ExitCode}.");
        }
    }

    /// <summary>Starts the host again (it must have exited), with the same settings.</summary>
    public Task RestartAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} is still running.");
        }

        _process.Dispose();
        Launch();
        return Task.CompletedTask;
    }

    /// <summary>Log lines that contain every one of <paramref name="fragments"/>.</summary>
    public IReadOnlyList<string> LinesContaining(params string[] fragments) =>
        _lines.Where(line => fragments.All(fragment => line.Contains(fragment, StringComparison.Ordinal))).ToList();

    /// <summary>The last <paramref name="count"/> lines, prefixed with this process's label.</summary>
    public string Tail(int count) =>
        $"----- {Name} (silo port {SiloPort}, {(HasExited ? $"exited {ExitCode}" : "running")}) -----\n"
        + string.Join('\n', _lines.TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Launch()
    {
        var process = new Process { StartInfo = _start, EnableRaisingEvents = true };
        var generation = ++Starts;
        process.OutputDataReceived += (_, line) => Keep(line.Data, generation);
        process.ErrorDataReceived += (_, line) => Keep(line.Data is null ? null : "stderr: " + line.Data, generation);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start host process {Name} ({_start.ArgumentList[0]}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Keep(string? line, int generation)
    {
        if (line is not null)
        {
            _lines.Enqueue(generation == 1 ? line : $"[start {generation}] {line}");
        }
    }
}
