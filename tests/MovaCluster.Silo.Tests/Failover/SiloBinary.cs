using System.Reflection;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests.Failover;

/// <summary>
/// The hosts' own build output (same configuration as this test assembly; the project references build them), so the
/// processes run with their deps.json and runtimeconfig, as they do when deployed.
/// </summary>
public static class SiloBinary
{
    public static string Path { get; } = Find("silo", "MovaCluster.Silo");

    public static string GatewayPath { get; } = Find("gateway", "MovaCluster.Gateway");

    private static string Find(string folder, string project)
    {
        var configuration = typeof(SiloBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Name;
        var path = System.IO.Path.Combine(RepositoryPaths.Root, folder, project, "bin", configuration, framework, project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The built host was not found at {path}; build {folder}/{project} -c {configuration}.", path);
    }
}
