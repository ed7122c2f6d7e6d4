using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MovaCluster.Deployment.Tests.Containers;
using MovaCluster.Deployment.Tests.Helm;
using MovaCluster.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MovaCluster.Deployment.Tests;

/// <summary>
/// The images built here and the chart rendered for the local profile (Values/local-podman.yaml), played with podman on
/// this host's network: the in-chart Redis, two silo pods and a gateway pod, with the test's Swift server as the S3
/// store (no Swift image exists here; it runs on the host as in every other test). One job goes through the gateway to
/// a downloadable MP4; then the silo container running a second, identical job is SIGKILLed mid-denoise, and the job
/// must complete exactly once, on the other silo, with the same bytes.
/// </summary>
public sealed class ClusterInContainersTests(DeploymentImages images, ITestOutputHelper output) : IClassFixture<DeploymentImages>
{
    private const int CheckpointEvery = 4;
    // Steps (mova-tiny's most) and a size that leave a fast host most of the denoise when the poll sees step
    // KillAfterStep: 40 steps at 128x96 were once all done between that poll and the kill on a quiet host.
    private const int Steps = 50;
    private const int KillAfterStep = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_chart_played_with_podman_serves_a_video_and_survives_a_sigkilled_silo_with_identical_bytes()
    {
        output.WriteLine(string.Join('\n', images.Report.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
        output.WriteLine($"redis test image: {images.RedisImageSeconds:F1} s");
        await using var s3 = await S3Server.StartAsync();
        var operatorKey = "op-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var release = await HelmChart.TemplateAsync(HelmChart.Values(["local-podman"], LocalOverrides(s3, operatorKey)));
        var folder = PlayedCluster.NewFolder();
        var pods = new LocalPods(release, Path.Combine(folder, "hosts")).Build();
        Assert.Equal(["gateway", "redis", "silo", "silo"], pods.Select(p => p.Component).Order(StringComparer.Ordinal));

        await using var cluster = await PlayedCluster.PlayAsync(pods, folder, Patience);
        try
        {
            await cluster.WaitReadyAsync(Patience);
            var ready = cluster.SincePlay.Elapsed;
            using var api = new GatewayApi(new Uri($"http://127.0.0.1:{cluster.Gateway.Port("http")}"), operatorKey);
            await UntilAsync(api.WorkersAsync, workers => workers.Count == 2, "a worker on each silo");
            output.WriteLine($"podman kube play to every pod ready: {ready.TotalSeconds:F1} s; to both workers registered: {cluster.SincePlay.Elapsed.TotalSeconds:F1} s");
            await RunAsync(cluster, api);
        }
        catch (Exception failure) when (failure is not XunitException)
        {
            throw new XunitException($"{failure}\n{await cluster.LogsAsync()}");
        }
    }

    private async Task RunAsync(PlayedCluster cluster, GatewayApi api)
    {
        var key = await api.IssueTenantKeyAsync("deploy-test");
        var request = new JsonObject
        {
            ["model"] = "mova-tiny",
            ["prompt"] = "a red fox in snow",
            ["size"] = "192x144",
            ["num_frames"] = 17,
            ["num_inference_steps"] = Steps,
            ["seed"] = 4321,
        };

        var baselineId = await api.CreateVideoAsync(key, (JsonObject)request.DeepClone());
        var baseline = await UntilAsync(() => api.GetVideoAsync(key, baselineId), IsFinished, "the uninterrupted video");
        Assert.True(Status(baseline) == "completed", $"The uninterrupted video ended {baseline}");
        var baselineBytes = await api.DownloadAsync(key, baselineId);
        Assert.True(baselineBytes.Length > 1000 && baselineBytes.AsSpan(4, 4).SequenceEqual("ftyp"u8), "The download is not an MP4.");

        var id = await api.CreateVideoAsync(key, (JsonObject)request.DeepClone());
        // The silo to kill is found as soon as the job runs, so nothing but the poll stands between the step and the kill.
        var workers = await UntilAsync(api.WorkersAsync, all => all.Any(w => w!["running_job_id"]?.GetValue<string>() == id), "a worker to take the video");
        var running = workers.Single(w => w!["running_job_id"]?.GetValue<string>() == id)!;
        var victim = PodOf(cluster, running["worker"]!["silo_address"]!.GetValue<string>());
        var beforeKill = await UntilAsync(
            () => api.GetVideoAsync(key, id),
            v => Status(v) == "in_progress" && v["completed_steps"]!.GetValue<int>() >= KillAfterStep,
            $"the video to pass step {KillAfterStep}",
            poll: TimeSpan.FromMilliseconds(50));
        var killedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var exitCode = await cluster.KillAsync(victim.Container("silo"));
        Assert.Equal(137, exitCode);
        var seenBeforeKill = beforeKill["completed_steps"]!.GetValue<int>();
        var afterKill = await UntilAsync(() => api.GetVideoAsync(key, id), _ => true, "the video's state after the kill");
        var killedAtStep = afterKill["completed_steps"]!.GetValue<int>();
        Assert.True(killedAtStep < Steps, $"The job had finished denoising ({killedAtStep} steps) before the kill.");

        var finished = await UntilAsync(() => api.GetVideoAsync(key, id), IsFinished, "the video to finish after the kill");
        var recoveredAfter = clock.Elapsed;
        Assert.True(Status(finished) == "completed", $"The video ended {finished}");
        var bytes = await api.DownloadAsync(key, id);
        Assert.Equal(SHA256.HashData(baselineBytes), SHA256.HashData(bytes));

        var events = await api.EventsAsync(key, id, TimeSpan.FromSeconds(30));
        var started = events.Where(e => Type(e) == "video.started").ToList();
        Assert.Equal([1, 2], started.Select(e => e["attempt"]!.GetValue<int>()));
        var resumedFrom = started[1]["resumed_from_step"]!.GetValue<int>();
        Assert.Equal(0, resumedFrom % CheckpointEvery);
        // At least the checkpoint before the step seen before the kill; at most one checkpoint past the last step reported.
        Assert.InRange(resumedFrom, seenBeforeKill / CheckpointEvery * CheckpointEvery, killedAtStep + CheckpointEvery);
        var stepsAfterResume = events.Where(e => Type(e) == "video.progress" && e["sequence"]!.GetValue<long>() > started[1]["sequence"]!.GetValue<long>())
            .Select(e => e["step"]!.GetValue<int>()).ToList();
        // Progress never goes back: the steps the resumed attempt redoes up to the last one reported before the kill are
        // not announced again, so the announced steps continue from there, one by one, to the end.
        var firstAfterResume = stepsAfterResume[0];
        Assert.InRange(firstAfterResume - 1, Math.Max(resumedFrom, killedAtStep), killedAtStep + CheckpointEvery);
        Assert.Equal(Enumerable.Range(firstAfterResume, Steps - firstAfterResume + 1), stepsAfterResume);
        Assert.Single(events, e => Type(e) == "video.completed");
        var resumedAfter = DateTimeOffset.FromUnixTimeMilliseconds(started[1]["created_at"]!.GetValue<long>()) - killedAt;

        // On the other silo: the killed container stayed dead (pods never restart here), so attempt 2 ran on the survivor.
        var survivor = cluster.Silos.Single(s => s != victim);
        Assert.Equal(137, await PlayedCluster.ExitCodeAsync(victim.Container("silo")));

        // Exactly once: one completion among every silo container's log, the killed one included.
        var completions = new List<string>();
        foreach (var silo in cluster.Silos)
        {
            var log = await PlayedCluster.LogAsync(silo.Container("silo"));
            completions.AddRange(log.Split('\n').Where(line => line.Contains($"Job {id} completed by attempt", StringComparison.Ordinal)).Select(line => silo.Name + ": " + line));
        }

        Assert.Single(completions);
        Assert.StartsWith(survivor.Name + ":", completions[0], StringComparison.Ordinal);
        Assert.Contains($"Job {id} completed by attempt 2", completions[0], StringComparison.Ordinal);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"128x96x17, {Steps} steps: killed {victim.Name} at step {killedAtStep}; attempt 2 started {resumedAfter.TotalSeconds:F1} s after the kill, resumed from step {resumedFrom} on {survivor.Name}; the video completed {recoveredAfter.TotalSeconds:F1} s after the kill; {bytes.Length} bytes, equal to the uninterrupted run"));
    }

    /// <summary>Ports (free ones: the pods share this host's network), the S3 endpoint and keys, the operator key.</summary>
    private static string LocalOverrides(S3Server s3, string operatorKey) => string.Create(CultureInfo.InvariantCulture, $$"""
        auth:
          operatorApiKey:
            value: "{{operatorKey}}"
        orleans:
          siloPort: {{FreePort.Next()}}
          gatewayPort: {{FreePort.Next()}}
        redis:
          inChart:
            image: "{{DeploymentImages.RedisImage}}"
            port: {{FreePort.Next()}}
        s3:
          endpoint: "{{s3.Endpoint}}"
          region: "{{s3.Region}}"
          accessKey: "{{s3.AccessKey}}"
          secretKey: "{{s3.SecretKey}}"
        silo:
          httpPort: {{FreePort.Next()}}
        gateway:
          httpPort: {{FreePort.Next()}}
        """);

    private static LocalPod PodOf(PlayedCluster cluster, string siloAddress)
    {
        // "ip:port@epoch": the silo port tells the pods apart on one host network.
        var port = int.Parse(siloAddress.Split('@')[0].Split(':')[^1], CultureInfo.InvariantCulture);
        return cluster.Silos.SingleOrDefault(s => s.Port("orleans-silo") == port)
            ?? throw new InvalidOperationException($"No silo pod listens on {siloAddress}.");
    }

    private static string Status(JsonObject video) => video["status"]!.GetValue<string>();

    private static string? Type(JsonObject item) => item["type"]?.GetValue<string>();

    private static bool IsFinished(JsonObject video) => Status(video) is "completed" or "failed" or "cancelled";

    private static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = default(T);
        Exception? lastFailure = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                lastFailure = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException failure)
            {
                // The gateway's cluster client is moving to the surviving silo; ask again.
                lastFailure = failure;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"Gave up after {Patience.TotalSeconds:F0} s waiting for {what}; last value: {last}; last error: {lastFailure?.Message}");
    }
}
