using MovaCluster.Testing;

namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>helm/mova-cluster through the real helm binary: lint and template with values files.</summary>
public static class HelmChart
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string ChartFolder { get; } = Path.Combine(RepositoryPaths.Root, "helm", "mova-cluster");

    /// <summary>A values file of this test project (Values/NAME.yaml).</summary>
    public static string ValuesFile(string name) => Path.Combine(AppContext.BaseDirectory, "Values", name + ".yaml");

    /// <summary>Values files by name, with optional YAML on top (the last file wins, as with helm -f a -f b).</summary>
    public static IReadOnlyList<string> Values(IEnumerable<string> names, string? overrides = null)
    {
        var files = names.Select(ValuesFile).ToList();
        if (overrides is not null)
        {
            var file = Path.Combine(Directory.CreateTempSubdirectory("mova-values-").FullName, "overrides.yaml");
            File.WriteAllText(file, overrides);
            files.Add(file);
        }

        return files;
    }

    public static Task<ProcessResult> LintAsync(IEnumerable<string> valuesFiles) =>
        CommandRunner.RunAsync(HelmBinary.Path, ["lint", ChartFolder, "--strict", .. Arguments(valuesFiles)], Timeout);

    /// <summary>Renders the chart; a failed render throws with helm's message.</summary>
    public static async Task<RenderedRelease> TemplateAsync(IEnumerable<string> valuesFiles, string release = "mova")
    {
        var result = await TryTemplateAsync(valuesFiles, release);
        return result.Succeeded ? RenderedRelease.Parse(result.StandardOutput) : throw new InvalidOperationException(result.ToString());
    }

    public static Task<ProcessResult> TryTemplateAsync(IEnumerable<string> valuesFiles, string release = "mova") =>
        CommandRunner.RunAsync(HelmBinary.Path, ["template", release, ChartFolder, "--namespace", "mova", .. Arguments(valuesFiles)], Timeout);

    private static IEnumerable<string> Arguments(IEnumerable<string> valuesFiles) =>
        valuesFiles.SelectMany(file => new[] { "--values", file });
}
