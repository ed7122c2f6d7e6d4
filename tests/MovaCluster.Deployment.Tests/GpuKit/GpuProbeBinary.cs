using MovaCluster.Testing;

namespace MovaCluster.Deployment.Tests.GpuKit;

/// <summary>The GPU probe as this test run built it (same configuration as the tests), run with dotnet.</summary>
internal static class GpuProbeBinary
{
    public static string Path
    {
        get
        {
            // .../tests/MovaCluster.Deployment.Tests/bin/<configuration>/<framework>/
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var probe = System.IO.Path.Combine(
                RepositoryPaths.Root, "load-tests", "MovaCluster.GpuProbe", "bin", configuration, framework.Name, "MovaCluster.GpuProbe.dll");
            return File.Exists(probe) ? probe : throw new FileNotFoundException($"The GPU probe is not built at {probe}: build the solution first.");
        }
    }

    /// <summary>Golden sets as this test run sees them (MOVA_GOLDENS / MOVA_CODEC_GOLDENS or ../shared/goldens).</summary>
    public static Dictionary<string, string> GoldenEnvironment() => new()
    {
        ["MOVA_GOLDENS"] = RepositoryPaths.MovaGoldens,
        ["MOVA_CODEC_GOLDENS"] = RepositoryPaths.CodecGoldens,
    };
}
