using System.Globalization;
using MovaCluster.Deployment.Tests.Helm;
using MovaCluster.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MovaCluster.Deployment.Tests.Containers;

/// <summary>
/// The images of this test run: built by helm/build-images.sh (the Debian base is reused when a fresh one exists) once
/// per run, by tests/run.sh or else here, plus the Redis image the local profile plays. A failed build fails every
/// test that needs the images.
/// </summary>
public sealed class DeploymentImages(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string RedisImage = "localhost/movacluster-redis-test:bookworm";

    /// <summary>
    /// Set by tests/run.sh, which builds the images once before the test projects run (outside the test host's
    /// hang timeout): the report of that build. Unset, the fixture builds them itself.
    /// </summary>
    public const string BuiltReportVariable = "MOVA_IMAGES_REPORT";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The build script's report: image names, sizes in bytes, build times in seconds.</summary>
    public IReadOnlyDictionary<string, string> Report { get; private set; } = new Dictionary<string, string>();

    public double RedisImageSeconds { get; private set; }

    public string SiloImage => Report["silo_image"];

    public string GatewayImage => Report["gateway_image"];

    public async Task InitializeAsync()
    {
        var reportFile = System.Environment.GetEnvironmentVariable(BuiltReportVariable);
        if (string.IsNullOrEmpty(reportFile))
        {
            var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "images");
            Directory.CreateDirectory(folder);
            reportFile = Path.Combine(folder, "test-build-report.txt");
            var script = Path.Combine(RepositoryPaths.Root, "helm", "build-images.sh");
            var build = await CommandRunner.RunAsync(
                "bash", [script, "--report", reportFile], BuildTimeout, Podman.Environment,
                line => diagnostics.OnMessage(new DiagnosticMessage("[images] " + line)));
            if (!build.Succeeded)
            {
                throw new InvalidOperationException("helm/build-images.sh failed: " + build);
            }
        }

        Report = File.ReadAllLines(reportFile)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

        foreach (var image in new[] { Report["silo_image"], Report["gateway_image"], Report["base_image"] })
        {
            await Podman.RequireAsync(["image", "exists", image]);
        }

        var started = DateTime.UtcNow;
        var context = Directory.CreateTempSubdirectory("mova-redis-image-").FullName;
        await Podman.RequireAsync(
            ["build", "--network", "host", "-t", RedisImage, "--build-arg", "BASE_IMAGE=" + Report["base_image"],
             "-f", Path.Combine(AppContext.BaseDirectory, "Images", "redis.Containerfile"), context],
            TimeSpan.FromMinutes(10));
        RedisImageSeconds = (DateTime.UtcNow - started).TotalSeconds;
        Directory.Delete(context);
    }

    public long SizeBytes(string key) => long.Parse(Report[key], CultureInfo.InvariantCulture);

    public double Seconds(string key) => double.Parse(Report[key], CultureInfo.InvariantCulture);

    public Task DisposeAsync() => Task.CompletedTask;
}
