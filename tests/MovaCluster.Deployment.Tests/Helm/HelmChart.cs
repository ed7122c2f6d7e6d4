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
            // Named by content, beside the test assembly: the same overrides share one file and nothing is left in /tmp.
            var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "generated-values")).FullName;
            var file = Path.Combine(folder, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(overrides)))[..16] + ".yaml");
            // Tests in parallel may write the same file: each writes its own copy and moves it into place.
            var draft = $"{file}.{Guid.NewGuid():N}";
            File.WriteAllText(draft, overrides);
            File.Move(draft, file, overwrite: true);
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
