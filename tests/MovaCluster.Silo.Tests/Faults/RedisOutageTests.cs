using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Silo.Tests.Failover;
using MovaCluster.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MovaCluster.Silo.Tests.Faults;

/// <summary>
/// A real redis-server (append-only file) stopped and started again under three silo processes and a gateway process.
/// Within the grace, running jobs keep their devices, retry their writes and complete once (first attempt) with the
/// right bytes, and a job that finishes during the outage completes once Redis is back; meanwhile readiness says
/// "not ready" and the API answers 503 with Retry-After and a message that names nothing internal. Beyond the grace,
/// running attempts are handed back and their jobs requeued and completed after Redis returns: none fails.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private const string OperatorKey = "outage-test-operator-key-0123456789abcdef";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_redis_outage_within_the_grace_costs_no_job_and_changes_no_byte()
    {
        await using var redis = await RedisServer.StartPersistentAsync();
        await using var cluster = await SiloProcessCluster.StartAsync(redis.ConnectionString, 3, ProcessClusterSettings.Synthetic(TimeSpan.FromMilliseconds(100)), Patience);
        try
        {
            var (_, gateway) = await cluster.StartGatewayAsync(OperatorKey, Patience);
            using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
            var request = Request(steps: 30);
            var baseline = await RunBaselineAsync(cluster, request);

            var jobs = await SubmitAsync(cluster, request, count: 6);
            await cluster.UntilAsync(() => SnapshotsAsync(cluster, jobs), all => all.Count(j => j.Status == JobStatus.Running && j.CompletedSteps >= 5) >= 3, Patience, "three jobs running");

            await redis.StopAsync();
            var outage = Stopwatch.StartNew();
            var probes = AssertUnavailableAsync(http, cluster);
            await Task.Delay(TimeSpan.FromSeconds(10));
            await probes;
            var storedDuringOutage = jobs.Count(id => Directory.EnumerateFiles(cluster.ClipFolder, "*.mp4", SearchOption.AllDirectories).Any(path => path.Contains(id, StringComparison.Ordinal)));
            await redis.RestartAsync();
            var down = outage.Elapsed;
            var finished = await cluster.UntilAsync(() => SnapshotsAsync(cluster, jobs), all => all.All(IsFinished), Patience, "every job to finish after the outage");
            var recovered = outage.Elapsed - down;
            output.WriteLine($"Redis down {down.TotalSeconds:F1} s; {storedDuringOutage} jobs stored their clip during the outage; every job finished {recovered.TotalSeconds:F1} s after Redis returned");
            Assert.True(storedDuringOutage >= 1, "No job finished during the outage: the test did not exercise a final write against a stopped Redis.");

            foreach (var job in finished)
            {
                Assert.True(job.Status == JobStatus.Completed, $"Job {job.JobId} ended {job.Status}: {job.Error}");
                Assert.Equal(1, job.Attempt);
                Assert.Equal(baseline.Sha256, job.Clip!.Sha256);
                Assert.Equal(baseline.Sha256, Sha256Of(cluster, job.Clip));
                await AssertProgressNeverWentBackAsync(cluster, job);
            }

            Assert.NotEmpty(cluster.Silos.SelectMany(silo => silo.LinesContaining("its job grain is unreachable")));
            await Eventually.HoldsAsync(() => http.GetAsync("/health"), response => response.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the gateway to be ready again");
        }
        catch (Exception failure)
        {
            throw new XunitException($"{failure}{cluster.Logs(150)}", failure);
        }
    }

    [Fact]
    public async Task A_redis_outage_beyond_the_grace_requeues_running_jobs_and_fails_none()
    {
        await using var redis = await RedisServer.StartPersistentAsync();
        var settings = ProcessClusterSettings.Synthetic(TimeSpan.FromMilliseconds(100));
        settings["Mova__Resilience__OutageGrace"] = "00:00:08";
        await using var cluster = await SiloProcessCluster.StartAsync(redis.ConnectionString, 3, settings, Patience);
        try
        {
            var request = Request(steps: 60);
            var baseline = await RunBaselineAsync(cluster, request);
            var jobs = await SubmitAsync(cluster, request, count: 3);
            var before = await cluster.UntilAsync(() => SnapshotsAsync(cluster, jobs), all => all.All(j => j.Status == JobStatus.Running && j.CompletedSteps >= 6), Patience, "every job running");

            await redis.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(20));
            await redis.RestartAsync();
            var back = Stopwatch.StartNew();
            var finished = await cluster.UntilAsync(() => SnapshotsAsync(cluster, jobs), all => all.All(IsFinished), Patience, "every job to finish after the outage");
            output.WriteLine($"Redis down 20 s (grace 8 s): jobs at steps {string.Join(", ", before.Select(j => j.CompletedSteps))} when it stopped; every job finished {back.Elapsed.TotalSeconds:F1} s after it returned, attempts {string.Join(", ", finished.Select(j => j.Attempt))}");

            foreach (var job in finished)
            {
                Assert.True(job.Status == JobStatus.Completed, $"Job {job.JobId} ended {job.Status}: {job.Error}");
                Assert.Equal(baseline.Sha256, job.Clip!.Sha256);
                Assert.Equal(baseline.Sha256, Sha256Of(cluster, job.Clip));
                await AssertProgressNeverWentBackAsync(cluster, job);
            }

            Assert.Contains(finished, job => job.Attempt >= 2);
            Assert.NotEmpty(cluster.Silos.SelectMany(silo => silo.LinesContaining("handed back to the queue")));
        }
        catch (Exception failure)
        {
            throw new XunitException($"{failure}{cluster.Logs(150)}", failure);
        }
    }

    private static GenerationRequest Request(int steps) =>
        new() { Prompt = "a lighthouse in a storm", Width = 16, Height = 16, FrameCount = 5, Steps = steps, Seed = 2024 };

    private static async Task<ClipLocation> RunBaselineAsync(SiloProcessCluster cluster, GenerationRequest request)
    {
        var id = (await SubmitAsync(cluster, request, count: 1)).Single();
        var done = await cluster.UntilAsync(cluster.Client.GetGrain<IJobGrain>(id).GetAsync, IsFinished, Patience, "the baseline job");
        Assert.True(done.Status == JobStatus.Completed, $"The baseline ended {done.Status}: {done.Error}");
        return done.Clip!;
    }

    private static async Task<IReadOnlyList<string>> SubmitAsync(SiloProcessCluster cluster, GenerationRequest request, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => "job-" + Guid.NewGuid().ToString("N")[..12]).ToList();
        foreach (var id in ids)
        {
            var result = await cluster.Client.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission { TenantId = "outage", Request = request });
            Assert.True(result.Accepted, result.Message);
        }

        return ids;
    }

    private static async Task<IReadOnlyList<JobSnapshot>> SnapshotsAsync(SiloProcessCluster cluster, IReadOnlyList<string> ids) =>
        await Task.WhenAll(ids.Select(id => cluster.Client.GetGrain<IJobGrain>(id).GetAsync()));

    /// <summary>While Redis is down: not ready on the gateway and the silos, and the API's 503 names nothing internal.</summary>
    private static async Task AssertUnavailableAsync(HttpClient http, SiloProcessCluster cluster)
    {
        await Eventually.HoldsAsync(() => http.GetAsync("/health"), response => response.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(6), "the gateway to report not ready");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/videos");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a-key-nobody-has-" + Guid.NewGuid().ToString("N"));
        using var answer = await http.SendAsync(request);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"The API answered {(int)answer.StatusCode}: {body}");
        Assert.NotNull(answer.Headers.RetryAfter);
        using var error = JsonDocument.Parse(body);
        Assert.Equal("service_unavailable", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        foreach (var internalName in new[] { "Redis", "redis", "mova:", "StackExchange", "Exception", "127.0.0.1" })
        {
            Assert.DoesNotContain(internalName, body, StringComparison.Ordinal);
        }

        var silo = cluster.Silos[0].LinesContaining("Now listening on:").Select(line => line[(line.IndexOf("http://", StringComparison.Ordinal))..].Trim()).First();
        using var siloHttp = new HttpClient { BaseAddress = new Uri(silo), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.HoldsAsync(() => siloHttp.GetAsync("/health"), response => response.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(6), "a silo to report not ready");
        Assert.Equal(HttpStatusCode.NotFound, (await siloHttp.GetAsync("/v1/models")).StatusCode);
    }

    /// <summary>Steps in the job's events only ever go up, across attempts, and there is one completion.</summary>
    private static async Task AssertProgressNeverWentBackAsync(SiloProcessCluster cluster, JobSnapshot job)
    {
        var events = await cluster.Client.GetGrain<IJobGrain>(job.JobId).GetEventsAsync(0);
        var steps = events.OfType<JobStepEvent>().Select(e => e.Step).ToList();
        Assert.Equal(steps.Order(), steps);
        Assert.Equal(steps.Distinct(), steps);
        Assert.Equal(job.TotalSteps, steps[^1]);
        Assert.Single(events.OfType<JobCompletedEvent>());
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
    }

    private static string Sha256Of(SiloProcessCluster cluster, ClipLocation clip)
    {
        using var file = File.OpenRead(Path.Combine(cluster.ClipFolder, clip.Key));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    private static bool IsFinished(JobSnapshot job) => job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
