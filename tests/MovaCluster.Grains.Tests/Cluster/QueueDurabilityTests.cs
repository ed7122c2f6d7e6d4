using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>The queue and the jobs in it live in Redis: a cluster that stops and starts again still has them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueDurabilityTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Queued_jobs_keep_their_state_and_order_across_a_full_cluster_restart()
    {
        var serviceId = "durable-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 3).Select(_ => Requests.NewJobId()).ToList();
        // A model no worker holds keeps the jobs waiting.
        var submission = Requests.Tiny("durable") with
        {
            Request = Requests.Tiny("durable").Request with { Model = "model-nobody-has" },
        };

        var first = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", redis: redis.ConnectionString, serviceId: serviceId);
        try
        {
            foreach (var id in ids)
            {
                Assert.True((await first.Client.GetGrain<IJobGrain>(id).SubmitAsync(submission)).Accepted);
            }
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", redis: redis.ConnectionString, serviceId: serviceId);
        try
        {
            var statistics = await second.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();
            var snapshots = new List<JobSnapshot>();
            foreach (var id in ids)
            {
                snapshots.Add(await second.Client.GetGrain<IJobGrain>(id).GetAsync());
            }

            Assert.Equal(3, statistics.Queued);
            Assert.All(snapshots, s => Assert.Equal(JobStatus.Queued, s.Status));
            Assert.Equal([0, 1, 2], snapshots.Select(s => s.QueuePosition ?? -1));
            Assert.All(snapshots, s => Assert.Equal("model-nobody-has", s.Request!.Model));
            Assert.All(snapshots, s => Assert.True(s.LastEventSequence >= 1));

            foreach (var id in ids)
            {
                Assert.Equal(JobStatus.Cancelled, (await second.Client.GetGrain<IJobGrain>(id).CancelAsync()).Status);
            }

            Assert.Equal(0, (await second.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync()).Queued);
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }
}
