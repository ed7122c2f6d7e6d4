using System.Collections.Concurrent;
using System.Diagnostics;

namespace MovaCluster.Silo.Tests.Failover;

/// <summary>
/// The built silo running as its own OS process (<c>dotnet MovaCluster.Silo.dll</c>), configured through environment
/// variables, with its console output kept for failure messages. <see cref="KillAsync"/> is SIGKILL: no shutdown runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SiloProcess(string name, int siloPort, Process process)
    {
        Name = name;
        SiloPort = siloPort;
        _process = process;
    }

    /// <summary>A label for logs and messages (not the Orleans silo name, which the silo picks itself).</summary>
    public string Name { get; }

    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => [.. _lines];

    public static SiloProcess Start(string name, int siloPort, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(SiloBinary.Path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloBinary.Path);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, siloPort, process);
        process.OutputDataReceived += (_, line) => silo.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Keep(line.Data is null ? null : "stderr: " + line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start silo process {name} ({SiloBinary.Path}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
