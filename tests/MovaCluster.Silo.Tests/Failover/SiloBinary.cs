using System.Reflection;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests.Failover;

/// <summary>
/// The silo's own build output (same configuration as this test assembly; the project reference builds it), so the
/// process runs with the silo's deps.json and runtimeconfig, as it does when deployed.
/// </summary>
public static class SiloBinary
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var configuration = typeof(SiloBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Name;
        var path = System.IO.Path.Combine(RepositoryPaths.Root, "silo", "MovaCluster.Silo", "bin", configuration, framework, "MovaCluster.Silo.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The built silo was not found at {path}; build silo/MovaCluster.Silo -c {configuration}.", path);
    }
}
