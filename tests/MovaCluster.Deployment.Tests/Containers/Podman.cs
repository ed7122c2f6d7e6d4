using MovaCluster.Deployment.Tests.Helm;
using MovaCluster.Testing;

namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>
/// podman as this machine runs it (ENVIRONMENT.md): runc, the cgroupfs manager, and a containers.conf without default
/// ulimits; PODMAN_ARGS replaces the flags, as for helm/build-images.sh.
/// </summary>
public static class Podman
{
    private static readonly string[] Flags =
        (System.Environment.GetEnvironmentVariable("PODMAN_ARGS") ?? "--runtime runc --cgroup-manager=cgroupfs")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Binary { get; } = ExternalTool.Require("podman", "podman");

    /// <summary>The environment both the tests and build-images.sh give podman.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = MakeEnvironment();

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        CommandRunner.RunAsync(Binary, [.. Flags, .. arguments], timeout ?? TimeSpan.FromMinutes(2), Environment);

    /// <summary>Runs podman and fails with its output when it does not succeed.</summary>
    public static async Task<string> RequireAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await RunAsync(arguments, timeout);
        return result.Succeeded ? result.StandardOutput : throw new InvalidOperationException(result.ToString());
    }

    private static Dictionary<string, string> MakeEnvironment()
    {
        var configured = System.Environment.GetEnvironmentVariable("CONTAINERS_CONF");
        if (!string.IsNullOrEmpty(configured))
        {
            return new Dictionary<string, string> { ["CONTAINERS_CONF"] = configured };
        }

        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "images");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "containers.conf");
        File.WriteAllText(file, "[containers]\ndefault_ulimits = []\n");
        return new Dictionary<string, string> { ["CONTAINERS_CONF"] = file };
    }
}
