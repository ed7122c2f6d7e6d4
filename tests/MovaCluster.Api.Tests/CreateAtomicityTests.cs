using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Api.Tests.Infrastructure.Faults;
using MovaCluster.Api.Videos;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Testing;
using Xunit.Sdk;

namespace MovaCluster.Api.Tests;

/// <summary>
/// A create is all or nothing: a failure at any step after the job grain accepted the job (the index entry, the wait
/// for a worker, the webhook watch; before or after the store took the change) withdraws the job, so nothing is left
/// running, queued, listed, waiting, watched or charged, and the same Idempotency-Key then creates the video afresh.
/// </summary>
public sealed class CreateAtomicityTests(FaultyCreateGatewayFactory factory) : IClassFixture<FaultyCreateGatewayFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<CreateStep, bool> Failures() => new()
    {
        { CreateStep.IndexAdd, false },
        { CreateStep.IndexAdd, true },
        { CreateStep.WorkerWait, false },
        { CreateStep.WorkerWait, true },
        { CreateStep.WebhookWatch, false },
        { CreateStep.WebhookWatch, true },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_create_failing_after_submit_leaves_nothing_running_listed_or_charged(CreateStep step, bool afterEffect)
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(factory, "atomic");
        using var _ = client;
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var key = $"atomic-{Guid.NewGuid():N}";
        var id = VideoIds.FromIdempotencyKey(tenantId, key);
        var request = RequestFor(step);

        factory.Faults.Arm(step, afterEffect);
        await AssertCreateFailsAsync(client, request, key);
        factory.Faults.Disarm();

        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var job = await Eventually.HoldsAsync(
            () => grains.GetGrain<IJobGrain>(id).GetAsync(), snapshot => snapshot.Status is JobStatus.Unknown or JobStatus.Cancelled, Patience, "the withdrawn job to stop");
        // A worker the queue handed the job to just before it was withdrawn gives it back when its start is refused.
        await Eventually.HoldsAsync(
            () => grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).ListJobsAsync(), queue => queue.All(entry => entry.Ticket.JobId != id), Patience, "the queue to let go of the job");
        Assert.Equal(0, (await VideoApi.GetAsync(client, "/v1/videos")).GetProperty("data").GetArrayLength());
        using (var missing = await client.GetAsync($"/v1/videos/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.False(factory.Waits.Lists(id), "The failed create left its video waiting for a worker.");
        Assert.False(factory.Watches.Lists(id), "The failed create left its video on the webhook watch list.");
        Assert.Equal(0, (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble());
        Assert.Contains(job.Status, new[] { JobStatus.Unknown, JobStatus.Cancelled });

        // The client retries with the same key: a fresh create of the same video.
        var retried = await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await VideoApi.SendCreateAsync(client, request, key);
                return (response.StatusCode, Body: await VideoApi.ReadAsync(response));
            },
            answer => answer.StatusCode == HttpStatusCode.OK, Patience, "the retried create to succeed");
        Assert.Equal(id, retried.Body.GetProperty("id").GetString());
        Assert.Contains(retried.Body.GetProperty("status").GetString(), new[] { "queued", "in_progress", "completed" });
        using var deleted = await client.DeleteAsync($"/v1/videos/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    /// <summary>
    /// Redis goes away after it took the index entry, and is still away when the undo first tries to remove it: the
    /// undo retries until it can, so the failed create leaves no listed video that a retry with its key would return.
    /// </summary>
    [Fact]
    public async Task A_create_cut_off_by_a_store_outage_is_undone_once_the_store_answers_again()
    {
        var (client, tenantId) = await TenantClients.NewTenantWithIdAsync(factory, "outage");
        using var _ = client;
        using var admin = factory.ClientWithKey(GatewayFactory.OperatorKey);
        var key = $"outage-{Guid.NewGuid():N}";
        var id = VideoIds.FromIdempotencyKey(tenantId, key);
        var request = RequestFor(CreateStep.IndexAdd);

        factory.Faults.Arm(CreateStep.IndexAdd, afterEffect: true, transient: true);
        factory.Faults.Arm(CreateStep.IndexRemove, afterEffect: false, transient: true);
        using (var failed = await VideoApi.SendCreateAsync(client, request, key))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        factory.Faults.Disarm();
        Assert.Equal(0, (await VideoApi.GetAsync(client, "/v1/videos")).GetProperty("data").GetArrayLength());
        using (var missing = await client.GetAsync($"/v1/videos/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal(0, (await VideoApi.GetAsync(admin, $"/admin/tenants/{tenantId}/usage")).GetProperty("video_seconds_today").GetDouble());
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        await Eventually.HoldsAsync(
            () => grains.GetGrain<IJobGrain>(id).GetAsync(), snapshot => snapshot.Status is JobStatus.Unknown or JobStatus.Cancelled, Patience, "the withdrawn job to stop");
    }

    private static Dictionary<string, object> RequestFor(CreateStep step)
    {
        if (step == CreateStep.WorkerWait)
        {
            // No worker serves mova-360p here, and this gateway lets such videos wait for one.
            return new Dictionary<string, object>
            {
                ["prompt"] = "waits for a 360p worker", ["model"] = "mova-360p", ["size"] = "640x352", ["num_frames"] = 9, ["fps"] = 8, ["num_inference_steps"] = 4,
            };
        }

        var request = (Dictionary<string, object>)VideoApi.TinyRequest("an atomic create", steps: 20);
        if (step == CreateStep.WebhookWatch)
        {
            request["webhook_url"] = "http://127.0.0.1:9/mova";
        }

        return request;
    }

    /// <summary>The create answers an error; the test server may also hand the app's unhandled failure to the caller as is.</summary>
    private static async Task AssertCreateFailsAsync(HttpClient client, object request, string key)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await VideoApi.SendCreateAsync(client, request, key);
        }
        catch (Exception failure) when (failure is not XunitException)
        {
            Assert.Contains("Injected failure", failure.ToString(), StringComparison.Ordinal);
            return;
        }

        using (response)
        {
            Assert.False(response.IsSuccessStatusCode, $"The create succeeded despite the injected failure: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
