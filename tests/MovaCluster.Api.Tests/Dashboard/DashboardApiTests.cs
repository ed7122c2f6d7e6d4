using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Dashboard;

/// <summary>The dashboard's operator API: key checks, frames, re-prioritising and cancelling queued jobs.</summary>
public sealed class DashboardApiTests
{
    [Fact]
    public async Task The_page_is_public_but_its_data_needs_an_operator_key()
    {
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.Zero);
        using var anonymous = new HttpClient { BaseAddress = cluster.Client(DevelopmentKeys.Tenant).BaseAddress };
        using var tenant = cluster.Client(DevelopmentKeys.Tenant);
        using var operatorClient = cluster.Client(DevelopmentKeys.Operator);

        var page = await anonymous.GetStringAsync("/dashboard");
        Assert.Contains("/dashboard/assets/dashboard.js", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/dashboard/assets/dashboard.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/dashboard/assets/secrets.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/api/frame")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/dashboard/api/frame")).StatusCode);
        // The first frame may be sampled before the cpu worker has registered.
        using var frame = await Eventually.HoldsAsync(
            () => JsonDocument.Parse(operatorClient.GetStringAsync("/dashboard/api/frame").GetAwaiter().GetResult()),
            document => document.RootElement.GetProperty("workers").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "A frame with the registered worker");
        var worker = Assert.Single(frame.RootElement.GetProperty("workers").EnumerateArray().ToList());
        Assert.Equal("cpu", worker.GetProperty("device").GetString());
        Assert.Equal(30, worker.GetProperty("utilisation").GetArrayLength());
        Assert.Equal("Active", Assert.Single(frame.RootElement.GetProperty("silos").EnumerateArray().ToList()).GetProperty("status").GetString());
        Assert.Equal(12, frame.RootElement.GetProperty("hours").GetArrayLength());
    }

    [Fact]
    public async Task An_operator_moves_a_queued_job_to_the_front_class_and_cancels_another()
    {
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.Zero);
        using var client = cluster.Client(DevelopmentKeys.Operator);
        var grains = cluster.Services.GetRequiredService<IClusterClient>();
        foreach (var id in new[] { "ops-first", "ops-second" })
        {
            var submitted = await grains.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission
            {
                TenantId = "ops-tenant",
                Priority = JobPriority.Batch,
                Request = new GenerationRequest { Prompt = "held: no worker has this model", Model = "unserved-model", Width = 64, Height = 48, FrameCount = 9, Steps = 2 },
            });
            Assert.True(submitted.Accepted, submitted.Message);
        }

        using var moved = await client.PostAsync("/dashboard/api/jobs/ops-second/priority/interactive", null);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var queue = await grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).ListJobsAsync();
        Assert.Equal(["ops-second", "ops-first"], queue.Select(entry => entry.Ticket.JobId));
        Assert.Equal(JobPriority.Interactive, queue[0].Ticket.Priority);
        Assert.Equal(0, queue[0].Position);
        Assert.Equal(JobPriority.Interactive, (await grains.GetGrain<IJobGrain>("ops-second").GetAsync()).Priority);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/dashboard/api/jobs/ops-first/priority/urgent", null)).StatusCode);

        using var cancelled = await client.PostAsync("/dashboard/api/jobs/ops-first/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(JobStatus.Cancelled, (await grains.GetGrain<IJobGrain>("ops-first").GetAsync()).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync("/dashboard/api/jobs/ops-first/priority/batch", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/dashboard/api/jobs/never-submitted/cancel", null)).StatusCode);

        var depth = await Eventually.HoldsAsync(async () =>
        {
            using var frame = JsonDocument.Parse(await client.GetStringAsync("/dashboard/api/frame"));
            return frame.RootElement.GetProperty("depth").EnumerateArray()
                .Select(row => $"{row.GetProperty("priority").GetString()}/{row.GetProperty("tenant").GetString()}/{row.GetProperty("queued").GetInt32()}")
                .ToList();
        }, rows => rows.SequenceEqual(["Interactive/ops-tenant/1"]), TimeSpan.FromSeconds(10), "The queue depth showing the moved job only");
        Assert.Single(depth);
    }

    [Fact]
    public async Task The_dashboard_shows_the_plan_the_silo_chose_for_its_fleet()
    {
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.Zero)
            .With("Mova:Planner:GpuCount", "8")
            .With("Mova:Planner:GpuMemoryGb", "80")
            .With("Mova:Planner:Objective", "Latency");
        using var operatorClient = cluster.Client(DevelopmentKeys.Operator);
        using var tenant = cluster.Client(DevelopmentKeys.Tenant);

        using var plan = JsonDocument.Parse(await operatorClient.GetStringAsync("/dashboard/api/plan"));

        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/dashboard/api/plan")).StatusCode);
        Assert.Equal("cfg", plan.RootElement.GetProperty("plan").GetString());
        Assert.Equal("Latency", plan.RootElement.GetProperty("reason").GetString());
        Assert.Equal("H100-80GB", plan.RootElement.GetProperty("gpu").GetString());
        Assert.True(plan.RootElement.GetProperty("predictedLatencySeconds").GetDouble() > 0);
    }
}
