using System.Diagnostics;
using System.Globalization;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Planning;
using Orleans.Streams;
using Orleans.TestingHost;

namespace MovaCluster.CostModelCluster;

/// <summary>
/// One grid cell: the planner picks the plan for N GPUs and the objective (throughput unless asked otherwise); a test cluster of ceil(N / 8) silos (8 GPUs a
/// node) runs one cost-model worker per job slot of every replica (the replica's jobs in flight), a full queue of
/// 360p or 720p jobs goes through the real job, queue and worker grains, and the steady-state completion rate is
/// compared with the prediction. Time is compressed so the predicted job latency takes <c>realLatencySeconds</c>.
/// </summary>
internal static class ClusterRun
{
    private const int GpusPerNode = 8;

    public static async Task<ClusterRow> RunAsync(WorkloadShape workload, int gpus, int memoryGb, int rounds, double realLatencySeconds, PlannerObjective objective = PlannerObjective.Throughput)
    {
        var estimator = new PlanEstimator(MovaArchitecture.Mova, workload, new ClusterHardware(DeviceCatalog.ForMemoryTier(memoryGb), gpus, GpusPerNode));
        PlanPrediction chosen;
        try
        {
            chosen = new ExecutionPlanner(estimator).Choose(objective);
        }
        catch (InvalidOperationException none)
        {
            return new ClusterRow(workload.Name, gpus, memoryGb, null, 0, 0, 0, 0, 0, 0, none.Message, objective);
        }

        var layout = chosen.Layout!;
        var slots = layout.JobsInFlight;
        var silos = Math.Max(1, (chosen.GpusUsed + GpusPerNode - 1) / GpusPerNode);
        while (chosen.Replicas % silos != 0)
        {
            silos++;
        }

        var workersPerSilo = chosen.Replicas / silos * slots;
        var compression = chosen.JobLatencySeconds / realLatencySeconds;
        var jobs = chosen.Replicas * slots * rounds;

        var builder = new TestClusterBuilder((short)silos);
        builder.Options.ClusterId = "mova-costmodel-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string>
        {
            ["Mova:Execution:CostModel:Plan"] = chosen.Plan.Name,
            ["Mova:Execution:CostModel:GpuMemoryGb"] = memoryGb.ToString(CultureInfo.InvariantCulture),
            ["Mova:Execution:CostModel:TimeCompression"] = compression.ToString("R", CultureInfo.InvariantCulture),
            ["Mova:Execution:CostModel:WorkersPerReplica"] = slots.ToString(CultureInfo.InvariantCulture),
            ["Mova:Worker:HeartbeatInterval"] = "00:00:00.200",
            ["Mova:Worker:CheckpointEverySteps"] = "1000",
            ["Mova:Worker:PreviewEverySteps"] = "1000",
            ["Mova:Queue:MaxQueuedPerTenant"] = "100000",
            ["Mova:Queue:MaxQueued"] = "100000",
            ["Mova:Queue:MaxRunningPerTenant"] = "10000",
        };
        for (var i = 0; i < workersPerSilo; i++)
        {
            settings[$"Mova:Execution:Devices:{i}"] = i == 0 ? "cpu" : $"cpu:{i}";
        }

        foreach (var (key, value) in settings)
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<CostModelSiloConfigurator>();
        builder.AddClientBuilderConfigurator<CostModelSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var client = cluster.Client;
            var clock = Stopwatch.StartNew();
            var completions = new double[jobs];
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var finished = 0;
            var ids = Enumerable.Range(0, jobs).Select(i => $"cm-{i}-{Guid.NewGuid():N}").ToList();
            var provider = client.GetStreamProvider(StreamNames.Provider);
            await Task.WhenAll(ids.Select(id => provider.GetStream<JobEvent>(StreamId.Create(StreamNames.JobEvents, id)).SubscribeAsync((item, _) =>
            {
                if (item is JobCompletedEvent or JobFailedEvent)
                {
                    var n = Interlocked.Increment(ref finished);
                    completions[n - 1] = clock.Elapsed.TotalSeconds;
                    if (item is JobFailedEvent failed)
                    {
                        done.TrySetException(new InvalidOperationException($"Job {failed.JobId} failed: {failed.Error}"));
                    }
                    else if (n == jobs)
                    {
                        done.TrySetResult();
                    }
                }

                return Task.CompletedTask;
            })));

            var request = new GenerationRequest { Prompt = "cost-model benchmark", Width = workload.Width, Height = workload.Height, FrameCount = workload.Frames, Steps = workload.Steps };
            await Task.WhenAll(ids.Select((id, i) => client.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission { TenantId = $"tenant-{i % 10}", Request = request with { Seed = i } })));
            var limit = TimeSpan.FromSeconds(Math.Max(120, 20 * rounds * realLatencySeconds));
            await done.Task.WaitAsync(limit);
            var wall = clock.Elapsed.TotalSeconds;

            // Steady state, as the simulator measures it: after every slot's first job, before the queue runs dry.
            Array.Sort(completions);
            var round = chosen.Replicas * slots;
            var from = round - 1;
            var to = jobs - round - 1;
            var jobsPerSecond = to > from ? (to - from) / (completions[to] - completions[from]) : jobs / completions[^1];
            return new ClusterRow(workload.Name, gpus, memoryGb, chosen, silos, workersPerSilo * silos, jobs, compression, jobsPerSecond / compression * 3600, wall, null, objective);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
