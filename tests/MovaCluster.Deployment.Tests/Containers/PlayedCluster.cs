using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MovaCluster.Testing;

namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>
/// The pods of a rendered release, played with <c>podman kube play</c> on the host network and removed with
/// <c>podman kube down</c>. It waits for the pods the way the kubelet's probes would decide they are ready, and a
/// container that fails to start or exits fails the wait with every container's log.
/// </summary>
public sealed class PlayedCluster : IAsyncDisposable
{
    private readonly List<string> _played = [];

    private PlayedCluster(string folder, IReadOnlyList<LocalPod> pods)
    {
        Folder = folder;
        Pods = pods;
    }

    /// <summary>Where the played YAML and the containers' logs are kept (under artifacts/deployment-tests).</summary>
    public string Folder { get; }

    public IReadOnlyList<LocalPod> Pods { get; }

    /// <summary>A new folder for one play under artifacts/deployment-tests (the YAML played, the containers' logs).</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "deployment-tests", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public IEnumerable<LocalPod> Silos => Pods.Where(p => p.Component == "silo");

    public LocalPod Gateway => Pods.Single(p => p.Component == "gateway");

    /// <summary>Since <c>podman kube play</c> was first started.</summary>
    public Stopwatch SincePlay { get; } = new();

    /// <summary>
    /// Plays the release's own data services (the in-chart Redis) first and waits for them, then the silos and the
    /// gateway: the kubelet would restart a silo that found no Redis until it does, but these pods never restart.
    /// </summary>
    public static async Task<PlayedCluster> PlayAsync(IReadOnlyList<LocalPod> pods, string folder, TimeSpan timeout)
    {
        var cluster = new PlayedCluster(folder, pods);
        cluster.SincePlay.Start();
        try
        {
            var services = pods.Where(IsDataService).ToList();
            await cluster.PlayAsync("services", services);
            await cluster.WaitReadyAsync(services, timeout);
            await cluster.PlayAsync("cluster", [.. pods.Except(services)]);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until every pod is ready: a TCP listener on each port of the in-chart Redis, and /health answering 200
    /// on every silo and gateway (the readiness probes of the chart). Any exited container fails the wait.
    /// </summary>
    public Task WaitReadyAsync(TimeSpan timeout) => WaitReadyAsync(Pods, timeout);

    private async Task WaitReadyAsync(IReadOnlyList<LocalPod> pods, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var pending = pods.ToList();
        while (pending.Count > 0)
        {
            await FailIfAnyExitedAsync(pods);
            foreach (var pod in pending.ToList())
            {
                if (await IsReadyAsync(pod, http))
                {
                    pending.Remove(pod);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not ready after {timeout.TotalSeconds:F0} s: {string.Join(", ", pending.Select(p => p.Name))}.{await LogsAsync()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL to one container (what an OOM kill or a node loss does to a silo); returns its exit code.</summary>
    public async Task<int> KillAsync(LocalContainer container)
    {
        await Podman.RequireAsync(["kill", "--signal", "KILL", container.PodmanName]);
        await Podman.RequireAsync(["wait", container.PodmanName], TimeSpan.FromMinutes(1));
        return await ExitCodeAsync(container);
    }

    public static async Task<int> ExitCodeAsync(LocalContainer container) =>
        int.Parse((await Podman.RequireAsync(["inspect", "--format", "{{.State.ExitCode}}", container.PodmanName])).Trim(), CultureInfo.InvariantCulture);

    public static async Task<string> LogAsync(LocalContainer container)
    {
        var result = await Podman.RunAsync(["logs", container.PodmanName]);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>Every container's state and recent log lines, for failure messages; the full logs go to <see cref="Folder"/>.</summary>
    public async Task<string> LogsAsync(int lines = 60)
    {
        var text = new System.Text.StringBuilder();
        foreach (var container in Pods.SelectMany(p => p.Containers))
        {
            var log = await LogAsync(container);
            await File.WriteAllTextAsync(Path.Combine(Folder, container.PodmanName + ".log"), log);
            var state = await Podman.RunAsync(["inspect", "--format", "{{.State.Status}} (exit {{.State.ExitCode}})", container.PodmanName]);
            text.Append(CultureInfo.InvariantCulture, $"\n----- {container.PodmanName}: {(state.Succeeded ? state.StandardOutput.Trim() : "no such container")} -----\n");
            text.AppendJoin('\n', log.Split('\n').TakeLast(lines));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await LogsAsync();
        var removed = true;
        foreach (var file in Enumerable.Reverse(_played))
        {
            removed &= (await Podman.RunAsync(["kube", "down", file], TimeSpan.FromMinutes(3))).Succeeded;
        }

        foreach (var pod in Pods.Where(_ => !removed))
        {
            await Podman.RunAsync(["pod", "rm", "--force", pod.Name], TimeSpan.FromMinutes(1));
        }
    }

    private static bool IsDataService(LocalPod pod) => pod.Component is "redis" or "minio";

    private async Task PlayAsync(string name, IReadOnlyList<LocalPod> pods)
    {
        var file = Path.Combine(Folder, $"pods-{name}.yaml");
        await File.WriteAllTextAsync(file, LocalPods.ToYaml(pods));
        _played.Add(file);
        var played = await Podman.RunAsync(["kube", "play", file], TimeSpan.FromMinutes(5));
        if (!played.Succeeded)
        {
            throw new InvalidOperationException($"podman kube play failed: {played}{await LogsAsync()}");
        }
    }

    private async Task FailIfAnyExitedAsync(IEnumerable<LocalPod> pods)
    {
        foreach (var container in pods.SelectMany(p => p.Containers))
        {
            var state = await Podman.RunAsync(["inspect", "--format", "{{.State.Status}}", container.PodmanName]);
            if (!state.Succeeded || state.StandardOutput.Trim() is not ("running" or "created" or "configured" or "initialized"))
            {
                throw new InvalidOperationException(
                    $"Container {container.PodmanName} is {(state.Succeeded ? state.StandardOutput.Trim() : "missing")} while the cluster starts.{await LogsAsync()}");
            }
        }
    }

    private static async Task<bool> IsReadyAsync(LocalPod pod, HttpClient http)
    {
        if (pod.Component == "redis")
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", pod.Port("redis"));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{pod.Port("http")}/health"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
