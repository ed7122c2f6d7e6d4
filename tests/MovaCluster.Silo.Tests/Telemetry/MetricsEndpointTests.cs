using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Workers;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests.Telemetry;

/// <summary>/metrics scraped and parsed after real jobs ran: our meters and Orleans' are there with sane values.</summary>
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Scrape_exposes_queue_wait_step_time_outcomes_utilisation_and_the_autoscaling_signal()
    {
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.FromMilliseconds(20));
        var finished = await cluster.CreateVideoAsync(steps: 6);
        var grains = cluster.Services.GetRequiredService<IClusterClient>();
        await Eventually.HoldsAsync(() => grains.GetGrain<IJobGrain>(finished).GetAsync().Result.Status, status => status == JobStatus.Completed,
            Patience, "The video completing");
        // No worker holds this model, so the job waits: the autoscaler's signal for that model and resolution.
        var waiting = await grains.GetGrain<IJobGrain>("metrics-waiting-job").SubmitAsync(new JobSubmission
        {
            TenantId = "ops-test",
            Priority = JobPriority.Batch,
            Request = new GenerationRequest { Prompt = "waits for a worker", Model = "mova-720p-nobody-serves", Width = 1280, Height = 720, FrameCount = 9, Steps = 4 },
        });
        Assert.True(waiting.Accepted, waiting.Message);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        using var client = cluster.Client(DevelopmentKeys.Tenant);

        var text = await client.GetStringAsync("/metrics");
        var samples = PrometheusText.Parse(text);

        string Dump(string prefix) => string.Join('\n', samples.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)));
        PrometheusSample One(string name, params (string Label, string Value)[] labels) =>
            samples.SingleOrDefault(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value)))
            ?? throw new Xunit.Sdk.XunitException($"No single {name} with {string.Join(",", labels)}. Ours:\n{Dump("mova_")}");

        // Test hosts share this process, and the exporter reads every "MovaCluster" meter in it: sum series, and
        // pick this cluster's worker by its id.
        double Sum(string name, params (string Label, string Value)[] labels) =>
            samples.Where(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value))).Sum(s => s.Value);
        var workerId = Assert.Single(await grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).ListAsync()).Worker.WorkerId;

        Assert.True(Sum("mova_jobs_finished_total", ("status", "completed")) >= 1, Dump("mova_jobs"));
        var waits = Sum("mova_queue_wait_seconds_count", ("priority", "standard"));
        Assert.True(waits >= 1, Dump("mova_queue_wait"));
        Assert.InRange(Sum("mova_queue_wait_seconds_sum", ("priority", "standard")) / waits, 0, 30);
        var steps = Sum("mova_job_step_duration_seconds_count", ("worker", workerId));
        Assert.True(steps >= 6, $"Only {steps} steps counted:\n{Dump("mova_job_step")}");
        Assert.InRange(Sum("mova_job_step_duration_seconds_sum", ("worker", workerId)) / steps, 0.015, 5);
        Assert.Equal(1, One("mova_autoscale_queue_depth", ("model", "mova-720p-nobody-serves"), ("resolution", "1280x720")).Value);
        Assert.InRange(One("mova_autoscale_queue_oldest_wait_seconds", ("model", "mova-720p-nobody-serves"), ("resolution", "1280x720")).Value, 0, 60);
        Assert.Equal(1, One("mova_queue_depth", ("priority", "batch"), ("tenant", "ops-test")).Value);
        var busy = One("mova_worker_busy_seconds_total", ("worker", workerId));
        Assert.InRange(busy.Value, 0.1, 120);
        Assert.Equal("cpu", busy.Labels["device"]);
        Assert.InRange(One("mova_worker_utilisation", ("worker", workerId)).Value, 0.001, 1);
        Assert.Equal(0, One("mova_worker_running", ("worker", workerId)).Value);
        Assert.Contains(samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
    }
}
