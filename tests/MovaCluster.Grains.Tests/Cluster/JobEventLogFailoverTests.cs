using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;
using MovaCluster.Testing;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// Two silos on real Redis. The silo holding the job grain (whose in-memory buffer used to be the only catch-up
/// source) is killed mid-job: once the grain is reactivated elsewhere, a reconnecting client still gets every event
/// after the last one it saw, with no gaps, from the job's event log in Redis. Either the job's worker dies with the
/// grain (the job resumes elsewhere) or it survives and keeps going through the outage (its calls are retried).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JobEventLogFailoverTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int Steps = 30;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_catches_up_on_every_event_after_the_job_grains_silo_dies(bool workerOnTheSameSilo)
    {
        var cluster = await RuntimeCluster.StartAsync(silos: 2, stepDelayMs: 60, devices: "cpu", redis: redis.ConnectionString);
        try
        {
            var client = cluster.Client;
            var registry = client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            await Wait.UntilAsync(registry.ListAsync, list => list.Count == 2, what: "a worker on each silo");
            var (job, victim) = await StartWithPlacementAsync(cluster, workerOnTheSameSilo);
            await Wait.UntilAsync(job.GetAsync, s => s.CompletedSteps >= 8, what: "step 8");

            // What a client saw before losing its connection.
            var seenBefore = await job.GetEventsAsync(0);
            var lastSeen = seenBefore[^1].Sequence;
            await cluster.KillSiloAsync(victim);

            var finished = await Wait.UntilAsync(
                async () =>
                {
                    try
                    {
                        return await job.GetAsync();
                    }
                    catch (Exception failure) when (failure is not OutOfMemoryException)
                    {
                        return null;
                    }
                },
                s => s?.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled,
                seconds: 90,
                what: "the job to finish after its grain's silo died");
            var caughtUp = await job.GetEventsAsync(lastSeen);
            var everything = await job.GetEventsAsync(0);
            output.WriteLine($"killed {victim.SiloAddress} (job grain host) after event {lastSeen}; job {finished!.Status} by attempt {finished.Attempt}; catch-up returned {caughtUp.Count} events");

            Assert.True(finished.Status == JobStatus.Completed, $"The job ended {finished.Status}: {finished.Error}");
            Assert.Equal(workerOnTheSameSilo ? 2 : 1, finished.Attempt);
            Assert.NotEmpty(seenBefore);
            Assert.Equal(Enumerable.Range(1, (int)finished.LastEventSequence).Select(i => (long)i), everything.Select(e => e.Sequence));
            Assert.Equal(everything.Where(e => e.Sequence > lastSeen).Select(e => e.Sequence), caughtUp.Select(e => e.Sequence));
            Assert.Equal(seenBefore.Select(e => e.GetType().Name + e.Sequence), everything.Take(seenBefore.Count).Select(e => e.GetType().Name + e.Sequence));
            Assert.Single(everything.OfType<JobCompletedEvent>());
            Assert.Equal(finished.Clip, everything.OfType<JobCompletedEvent>().Single().Clip);
            Assert.Equal(Steps, everything.OfType<JobStepEvent>().Max(e => e.Step));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// Job grains are placed at random: submits jobs until one runs with its grain on the wanted side of its worker
    /// (cancelling the others), and returns it with the silo holding its grain.
    /// </summary>
    private static async Task<(IJobGrain Job, SiloHandle GrainHost)> StartWithPlacementAsync(TestCluster cluster, bool workerOnTheSameSilo)
    {
        for (var tries = 0; tries < 20; tries++)
        {
            var job = cluster.Client.GetGrain<IJobGrain>(Requests.NewJobId());
            await job.SubmitAsync(Requests.Tiny("event-log", steps: Steps, seed: 77));
            var running = await Wait.UntilAsync(job.GetAsync, s => s.Status == JobStatus.Running && s.WorkerId is not null, what: "the job to start");
            var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(job);
            var grainHost = cluster.Silos.Single(silo => silo.SiloAddress.Equals(host));
            if ((running.WorkerId!.Split('/')[0] == grainHost.Name) == workerOnTheSameSilo)
            {
                return (job, grainHost);
            }

            await job.CancelAsync();
            await Wait.UntilAsync(job.GetAsync, s => s.Status == JobStatus.Cancelled, what: "the cancelled try to stop");
        }

        throw new InvalidOperationException("20 jobs in a row were placed the other way; placement is not random.");
    }
}
