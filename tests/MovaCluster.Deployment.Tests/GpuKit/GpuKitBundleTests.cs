using System.Globalization;
using System.Text.Json.Nodes;
using MovaCluster.Deployment.Tests.Helm;
using MovaCluster.Testing;
using Xunit.Abstractions;

namespace MovaCluster.Deployment.Tests.GpuKit;

/// <summary>
/// The GPU bring-up kit end to end on the cpu: load-tests/gpu-kit/build-kit.sh builds the archive (under the 64 MiB a
/// device call carries, without libtorch), and its own run-on-gpu.sh, from the unpacked kit, runs as on a GPU machine
/// with the NuGet libtorch-cpu natives standing in for the machine's libtorch. That libtorch has no headers, so the
/// LibTorchSharp build fails at configure: the error is recorded verbatim and the released binary takes over, as the
/// kit's fallback order says.
/// </summary>
public sealed class GpuKitBundleTests(ITestOutputHelper output)
{
    /// <summary>The report of a kit built by tests/run.sh before the test projects run.</summary>
    public const string BuiltReportVariable = "MOVA_GPUKIT_REPORT";

    private const long UploadLimit = 64L * 1024 * 1024;

    [Fact]
    public async Task The_kit_fits_the_upload_unpacks_and_runs_the_probe_on_the_cpu_from_its_own_files()
    {
        var folder = Directory.CreateTempSubdirectory("mova-gpukit-test-").FullName;
        try
        {
            var report = KeyValues(await BuildReport(folder));
            output.WriteLine(string.Join('\n', report.Select(p => $"{p.Key}={p.Value}")));
            var archive = report["archive"];
            Assert.Equal(new FileInfo(archive).Length, long.Parse(report["archive_bytes"], CultureInfo.InvariantCulture));
            Assert.True(new FileInfo(archive).Length < UploadLimit, $"The kit is {new FileInfo(archive).Length} bytes.");

            var unpacked = Path.Combine(folder, "unpacked");
            Directory.CreateDirectory(unpacked);
            var untar = await CommandRunner.RunAsync("tar", ["-xJf", archive, "-C", unpacked], TimeSpan.FromMinutes(5));
            Assert.True(untar.Succeeded, untar.ToString());
            var kit = Path.Combine(unpacked, "mova-gpukit");
            Assert.Empty(Directory.GetFiles(kit, "libtorch*", SearchOption.AllDirectories));
            // The sources come from a TorchSharp clone or mirror where build-kit.sh finds one (never from this repository).
            var kitText = File.ReadAllText(Path.Combine(kit, "KIT.txt"));
            var withSources = kitText.Contains("torchsharp_sources=present", StringComparison.Ordinal);
            Assert.True(withSources || kitText.Contains("torchsharp_sources=absent", StringComparison.Ordinal), kitText);
            Assert.Equal(withSources, File.Exists(Path.Combine(kit, "native", "torchsharp", "src", "Native", "LibTorchSharp", "THSTensor.cpp")));
            Assert.True(File.Exists(Path.Combine(kit, "native", "mova_cuda_shim.cpp")));
            Assert.True(File.Exists(Path.Combine(kit, "prebuilt", "libLibTorchSharp.so")));
            Assert.False(File.Exists(Path.Combine(kit, "probe", "libLibTorchSharp.so")));
            Assert.Contains("torchsharp_commit=c20b6a1cc574d690707638a488d2583f3b8b983f", File.ReadAllText(Path.Combine(kit, "KIT.txt")), StringComparison.Ordinal);

            var libtorch = NuGetLibtorchCpu();
            if (withSources)
            {
                await ConfiguresAgainstAWheelLayout(kit, libtorch, folder);
            }

            var results = Path.Combine(folder, "out");
            var run = await CommandRunner.RunAsync(
                "bash",
                [Path.Combine(kit, "run-on-gpu.sh"), archive, "--device", "cpu", "--sections", "goldens,executor", "--out", results,
                 "--deadline", "900", "--torch-lib", Path.Combine(libtorch, "runtimes", "linux-x64", "native"), "--torch-root", libtorch],
                TimeSpan.FromMinutes(20),
                new Dictionary<string, string> { ["MOVA_GPUKIT_WORK"] = Path.Combine(folder, "work") });
            output.WriteLine(run.ToString());
            Assert.True(run.Succeeded, run.ToString());

            Assert.Equal(
                ["build.log", "env.txt", "probe.log", "pytorch-reference.txt", "results.json", "summary.md"],
                Directory.GetFiles(results).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(results, "results.json")))!;
            var status = json["kit"]!;
            Assert.Equal(withSources ? "configure-failed" : "no-sources", (string?)status["build"]);
            Assert.StartsWith("released binary", (string?)status["libtorchsharp"], StringComparison.Ordinal);
            Assert.Equal("0", (string?)status["prebuilt_missing_symbols"]);
            Assert.Equal("0", (string?)status["section_goldens_exit"]);
            // CMake wraps a long message at its spaces.
            var buildLog = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(results, "build.log")), @"\s+", " ");
            Assert.Contains(withSources ? "Not found: " + Path.Combine(libtorch, "lib", "libtorch.so") : "the kit carries no LibTorchSharp sources", buildLog, StringComparison.Ordinal);

            var sections = json["sections"]!;
            Assert.Equal("passed", (string?)sections["goldens"]!["status"]);
            Assert.StartsWith(Path.Combine(folder, "work", "kit", "goldens"), (string?)sections["goldens"]!["golden_sets"]!["mova"], StringComparison.Ordinal);
            Assert.All(sections["executor"]!["float32"]!["jobs"]!.AsArray(), job => Assert.Equal("completed", (string?)job!["status"]));
            Assert.Contains("| goldens (fp32) | passed", File.ReadAllText(Path.Combine(results, "summary.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The kit's CMake project configures in its direct mode (run-on-gpu.sh's fallback when find_package(Torch) fails)
    /// against a torch folder laid out as PyTorch's wheel lays it out (lib/ with the NuGet libtorch natives; include/
    /// with torch.h under csrc/api/include and ATen/ATen.h, as placeholders: nothing compiles here), and plans every
    /// LibTorchSharp source of the kit. No CUDA here, so the shim is left out with its warning.
    /// </summary>
    private async Task ConfiguresAgainstAWheelLayout(string kit, string libtorch, string folder)
    {
        var wheel = Path.Combine(folder, "torch-wheel");
        Directory.CreateDirectory(Path.Combine(wheel, "lib"));
        foreach (var library in new[] { "libtorch.so", "libtorch_cpu.so", "libc10.so" })
        {
            File.CreateSymbolicLink(Path.Combine(wheel, "lib", library), Path.Combine(libtorch, "runtimes", "linux-x64", "native", library));
        }

        foreach (var header in new[] { "torch/csrc/api/include/torch/torch.h", "ATen/ATen.h" })
        {
            var file = Path.Combine(wheel, "include", header);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "#pragma once\n");
        }

        var build = Path.Combine(folder, "configure");
        var configure = await CommandRunner.RunAsync(
            ExternalTool.Require("cmake", "cmake"),
            ["-S", Path.Combine(kit, "native"), "-B", build, "-G", "Unix Makefiles", "-DCMAKE_BUILD_TYPE=Release", "-DMOVA_TORCH_DIRECT=ON",
             "-DTORCH_ROOT=" + wheel, "-DMOVA_CXX11_ABI=1"],
            TimeSpan.FromMinutes(3));
        output.WriteLine(configure.ToString());
        Assert.True(configure.Succeeded, configure.ToString());
        Assert.Contains("MovaCudaShim not built", configure.ToString(), StringComparison.Ordinal);

        var sources = Directory.GetFiles(Path.Combine(kit, "native", "torchsharp", "src", "Native", "LibTorchSharp"))
            .Where(f => f.EndsWith(".cpp", StringComparison.Ordinal) || f.EndsWith(".c", StringComparison.Ordinal)).ToList();
        var plan = File.ReadAllText(Path.Combine(build, "CMakeFiles", "LibTorchSharp.dir", "build.make"));
        Assert.True(sources.Count >= 20, $"{sources.Count} LibTorchSharp sources in the kit");
        Assert.All(sources, source => Assert.Contains(Path.GetFileName(source) + ".o:", plan, StringComparison.Ordinal));
    }

    /// <summary>
    /// What build-kit.sh printed: tests/run.sh builds the kit once before the tests (minutes of publishing and
    /// compressing, longer than a test host may stay silent) and names its report in MOVA_GPUKIT_REPORT; without it
    /// the kit is built here.
    /// </summary>
    private async Task<string> BuildReport(string folder)
    {
        if (Environment.GetEnvironmentVariable(BuiltReportVariable) is { Length: > 0 } built)
        {
            var text = await File.ReadAllTextAsync(built);
            Assert.DoesNotContain("build_failed=", text, StringComparison.Ordinal);
            return text;
        }

        var build = await CommandRunner.RunAsync(
            "bash", [Path.Combine(RepositoryPaths.Root, "load-tests", "gpu-kit", "build-kit.sh"), "--out", folder],
            TimeSpan.FromMinutes(25), GpuProbeBinary.GoldenEnvironment());
        output.WriteLine(build.ToString());
        Assert.True(build.Succeeded, build.ToString());
        return build.StandardOutput;
    }

    private static Dictionary<string, string> KeyValues(string text) =>
        text.Split('\n').Select(l => l.Trim().Split('=', 2)).Where(p => p.Length == 2 && !p[0].Contains(' ', StringComparison.Ordinal))
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    // The libtorch-cpu package this repository restores (Directory.Packages.props), in the NuGet packages folder.
    private static string NuGetLibtorchCpu()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props"));
        var version = System.Text.RegularExpressions.Regex.Match(props, "Include=\"libtorch-cpu-linux-x64\" Version=\"([^\"]+)\"").Groups[1].Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(packages, "libtorch-cpu-linux-x64", version);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"libtorch-cpu-linux-x64 {version} is not restored at {folder}.");
    }
}
