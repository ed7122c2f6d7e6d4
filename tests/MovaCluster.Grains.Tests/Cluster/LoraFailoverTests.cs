using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Loras;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution.Mova;
using MovaCluster.Grains.Tests.Infrastructure;
using MovaCluster.Model.Lora;
using MovaCluster.Model.Tiny;
using MovaCluster.Testing;
using Xunit.Abstractions;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// A job with a LoRA adapter on the tiny random-weights MOVA, killed with its silo in the middle of denoising, resumes
/// on the other silo (which fetches the adapter's files from the object store and binds it there) from its checkpoint
/// and gives the same MP4 bytes as an uninterrupted run: unmerged throughout (MergeAfterJobs 0), and merged
/// throughout (MergeAfterJobs 1: the checkpoint records the mode, and the resumed attempt merges too).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LoraFailoverTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_job_with_an_adapter_resumed_on_another_silo_gives_the_same_bytes(int mergeAfterJobs)
    {
        // Enough steps that a fast host still has most of the denoise left when the kill lands.
        const int Steps = 40;
        var fileCache = Path.Combine(Path.GetTempPath(), "mova-test-lora-files", Guid.NewGuid().ToString("N"));
        var cluster = await RuntimeCluster.StartAsync(silos: 2, stepDelayMs: 0, devices: "cpu", redis: redis.ConnectionString, executor: "Mova", properties: new Dictionary<string, string>
        {
            ["Mova:Execution:Lora:MergeAfterJobs"] = mergeAfterJobs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mova:Execution:Lora:FileCacheFolder"] = fileCache,
        });
        try
        {
            var client = cluster.Client;
            var registry = client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            await Wait.UntilAsync(registry.ListAsync, list => list.Count == 2, what: "a worker on each silo");
            var lora = StoreServedAdapter(RuntimeCluster.ClipRoot(cluster.Options.ClusterId), "failover");
            var submission = Requests.Tiny("failover", steps: Steps, seed: 77);
            submission = submission with { Request = submission.Request with { Width = 128, Height = 128, FrameCount = 17, Loras = [lora] } };

            var baselineId = Requests.NewJobId();
            await using (var baselineEvents = await JobEventRecorder.SubscribeAsync(client, baselineId))
            {
                await client.GetGrain<IJobGrain>(baselineId).SubmitAsync(submission);
                await baselineEvents.WaitForAsync<JobCompletedEvent>(seconds: 180);
            }

            var baseline = await client.GetGrain<IJobGrain>(baselineId).GetAsync();
            Assert.Equal(JobStatus.Completed, baseline.Status);

            var jobId = Requests.NewJobId();
            await using var events = await JobEventRecorder.SubscribeAsync(client, jobId);
            var job = client.GetGrain<IJobGrain>(jobId);
            await job.SubmitAsync(submission);
            await events.WaitForAsync<JobStepEvent>(step => step.Step >= 4, seconds: 120);
            var beforeKill = await job.GetAsync();
            var victimName = beforeKill.WorkerId!.Split('/')[0];
            await cluster.KillSiloAsync(cluster.Silos.Single(silo => silo.Name == victimName));

            var finished = await Wait.UntilAsync(job.GetAsync, s => s.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled, seconds: 180, what: "the job to finish");
            output.WriteLine($"merge after {mergeAfterJobs}: killed {victimName} at step {beforeKill.CompletedSteps}; finished on {finished.WorkerId} (attempt {finished.Attempt})");
            Assert.True(beforeKill.CompletedSteps < Steps, $"the job had finished denoising ({beforeKill.CompletedSteps} steps) before the kill");
            Assert.Equal(JobStatus.Completed, finished.Status);
            Assert.Equal(2, finished.Attempt);
            Assert.NotEqual(victimName, finished.WorkerId!.Split('/')[0]);
            Assert.Equal([lora], finished.Request!.Loras);
            Assert.Equal(baseline.Clip!.Sha256, finished.Clip!.Sha256);
            var starts = (await job.GetEventsAsync(0)).OfType<JobStartedEvent>().ToList();
            Assert.True(starts[^1].ResumedFromStep > 0, "the second attempt started over instead of resuming from its checkpoint");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            if (Directory.Exists(fileCache))
            {
                Directory.Delete(fileCache, recursive: true);
            }
        }
    }

    /// <summary>The golden adapter cut to the served model's layers, stored where a registration would put it.</summary>
    private static JobLora StoreServedAdapter(string clipRoot, string tenant)
    {
        var layers = LoraLayerCatalog.FromCheckpoint(TinyMovaCheckpoint.EnsureWritten(new MovaExecutorOptions().TinyModelCache)).Layers;
        var bytes = LoraSafetensors.Filter(File.ReadAllBytes(LoraSafetensors.Golden), layers.ContainsKey);
        var staging = Directory.CreateTempSubdirectory("mova-test-lora-");
        try
        {
            var file = Path.Combine(staging.FullName, LoraObjectKeys.SafetensorsFile);
            File.WriteAllBytes(file, bytes);
            string digest;
            using (var adapter = LoraAdapterReader.Read(staging.FullName))
            {
                digest = adapter.Digest;
            }

            var location = LoraObjectKeys.Content(LoraScopes.Tenant(tenant), digest);
            var stored = Path.Combine(clipRoot, location.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(stored);
            File.Copy(file, Path.Combine(stored, LoraObjectKeys.SafetensorsFile));
            return new JobLora { Name = "fox", Digest = digest, Strength = 0.8, Location = location };
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}
