using System.Text.Json.Nodes;
using MovaCluster.Deployment.Tests.Helm;
using MovaCluster.Testing;
using Xunit.Abstractions;

namespace MovaCluster.Deployment.Tests.GpuKit;

/// <summary>
/// The GPU probe (load-tests/MovaCluster.GpuProbe) run as its own process on the cpu at tiny sizes, every section:
/// the path a lent GPU runs, minus the GPU.
/// </summary>
public sealed class GpuProbeCpuTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_section_runs_on_the_cpu_and_reports_goldens_timings_memory_estimates_and_jobs()
    {
        var folder = Directory.CreateTempSubdirectory("mova-gpu-probe-").FullName;
        try
        {
            var results = Path.Combine(folder, "results.json");
            var run = await CommandRunner.RunAsync(
                ExternalTool.Require("dotnet", "dotnet-sdk"),
                [GpuProbeBinary.Path, "--device", "cpu", "--warmup", "1", "--bench-steps", "2", "--mova-steps", "1", "--out", results],
                TimeSpan.FromMinutes(10),
                GpuProbeBinary.GoldenEnvironment());
            output.WriteLine(run.ToString());
            Assert.True(run.Succeeded, run.ToString());

            var json = JsonNode.Parse(File.ReadAllText(results))!;
            Assert.Equal("cpu", (string?)json["probe"]!["device"]);
            Assert.Equal("tiny", (string?)json["probe"]!["size"]);
            var sections = json["sections"]!;

            var goldens = sections["goldens"]!;
            Assert.Equal("passed", (string?)goldens["status"]);
            Assert.Equal(ExpectedGoldenChecks(), (int)goldens["checks_run"]!);
            Assert.All(goldens["checks"]!.AsArray(), check => Assert.True((bool)check!["passed"]!, check.ToJsonString()));

            foreach (var dtype in new[] { "float32", "bfloat16" })
            {
                var bench = sections["bench"]![dtype]!;
                Assert.Equal(2, (int)bench["timed_steps"]!);
                Assert.True((double)bench["ms_per_step_median"]! > 0);
                Assert.True((long)bench["memory"]!["rss_peak_bytes"]! > 0);
            }

            var step = sections["mova-step"]!;
            Assert.Equal(1, (int)step["steps"]!["timed_steps"]!);
            Assert.True((double)step["seconds_per_step"]! > 0);
            // The towers built on the device hold exactly the parameters the planner counts (bf16 bytes / 2).
            Assert.Equal((long)step["estimates"]!["planner_weight_bytes"]! / 2, (long)step["weights"]!["parameters"]!);
            Assert.True((long)step["estimates"]!["shard_estimator_total_bytes"]! > 0);
            Assert.True((double)step["attention"]!["default_ms"]! > 0);

            foreach (var dtype in new[] { "float32", "bfloat16" })
            {
                var executor = sections["executor"]![dtype]!;
                Assert.All(executor["jobs"]!.AsArray(), job => Assert.Equal("completed", (string?)job!["status"]));
                Assert.All(executor["jobs"]!.AsArray(), job => Assert.Equal(9, (int)job!["frames"]!));
                Assert.Equal("OutOfMemory", (string?)executor["failure"]!["kind"]);
                Assert.StartsWith("DeviceExecutionException: cpu ran out of memory: ", (string?)executor["failure"]!["job_message"], StringComparison.Ordinal);
                Assert.Equal("completed", (string?)executor["job_after_failure"]!["status"]);
            }

            var summary = Path.Combine(folder, "summary.md");
            var report = await CommandRunner.RunAsync(
                ExternalTool.Require("dotnet", "dotnet-sdk"), [GpuProbeBinary.Path, "report", "--out", Path.Combine(folder, "merged.json"), "--markdown", summary, results],
                TimeSpan.FromMinutes(2));
            Assert.True(report.Succeeded, report.ToString());
            var text = File.ReadAllText(summary);
            output.WriteLine(text);
            Assert.Contains($"| goldens (fp32) | passed: {ExpectedGoldenChecks()} checks, 0 failed |", text, StringComparison.Ordinal);
            Assert.Contains("| bench tiny bfloat16 |", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // One comparison per compared tensor, counted from the sets' manifests like the probe finds its cases.
    private static int ExpectedGoldenChecks()
    {
        var mova = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.MovaGoldens, "manifest.json")))!["cases"]!.AsObject();
        var codecs = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.CodecGoldens, "manifest.json")))!["cases"]!.AsObject();
        static bool Has(JsonNode? entry, params string[] tensors) => tensors.All(t => entry!["tensors"]!.AsObject().ContainsKey(t));
        var checks = 0;
        foreach (var (_, entry) in mova)
        {
            checks += Has(entry, "input.x", "input.context", "input.t_mod", "output.x") ? 1 : 0;
            checks += Has(entry, "input.visual", "input.audio", "output.visual", "output.audio") ? 2 : 0;
            checks += Has(entry, "input.visual_latents", "input.audio_latents", "input.context", "output.visual") ? 4 : 0;
            checks += Has(entry, "input.video_noise", "input.audio_noise", "loop.timesteps") && entry!["params"]!.AsObject().ContainsKey("num_inference_steps") ? 4 : 0;
            checks += Has(entry, "input.z", "output.audio") ? 1 : 0;
        }

        foreach (var (_, entry) in codecs)
        {
            checks += Has(entry, "input.latent", "output.video", "intermediate.decoder") ? 1 : 0;
            checks += Has(entry, "input.input_ids", "input.attention_mask", "output.last_hidden_state") ? 1 : 0;
        }

        return checks;
    }
}
