using MovaCluster.Model.Planning;
using MovaCluster.Model.Planning.Simulation;

namespace MovaCluster.Model.Tests.Planning;

/// <summary>The cost-model simulation runs every step as device tasks; the analytical prediction must agree with it.</summary>
public sealed class PlanSimulatorTests
{
    [Theory]
    [InlineData("360p", 24, 4)]
    [InlineData("360p", 48, 8)]
    [InlineData("360p", 80, 8)]
    [InlineData("720p", 48, 4)]
    [InlineData("720p", 141, 16)]
    public void Simulated_throughput_of_the_chosen_plan_is_within_10_percent_of_the_prediction(string resolution, int memoryGb, int gpus)
    {
        var workload = resolution == "720p" ? WorkloadShape.Mova720p : WorkloadShape.Mova360p;
        var estimator = new PlanEstimator(MovaArchitecture.Mova, workload, new ClusterHardware(DeviceCatalog.ForMemoryTier(memoryGb), gpus));
        var chosen = new ExecutionPlanner(estimator).Choose(PlannerObjective.Throughput);

        var simulated = new PlanSimulator(estimator).Run(chosen.Plan);

        Assert.InRange(simulated.JobsPerHour / chosen.JobsPerHour, 0.9, 1.1);
    }

    [Fact]
    public void An_unloaded_job_takes_the_predicted_latency()
    {
        var estimator = new PlanEstimator(MovaArchitecture.Mova, WorkloadShape.Mova360p, new ClusterHardware(DeviceCatalog.Gpu80, 4));
        var plan = new ExecutionPlan(2, false, true);

        var simulated = new PlanSimulator(estimator, jitter: 0).Run(plan, jobsPerReplica: 1);

        Assert.Equal(estimator.Predict(plan).JobLatencySeconds, simulated.MeanLatencySeconds, 3);
    }

    [Fact]
    public void Replicas_scale_throughput_linearly()
    {
        double Throughput(int gpus)
        {
            var estimator = new PlanEstimator(MovaArchitecture.Mova, WorkloadShape.Mova360p, new ClusterHardware(DeviceCatalog.Gpu80, gpus));
            return new PlanSimulator(estimator).Run(ExecutionPlan.SingleDevice).JobsPerHour;
        }

        Assert.InRange(Throughput(8) / Throughput(1), 7.8, 8.2);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        var estimator = new PlanEstimator(MovaArchitecture.Mova, WorkloadShape.Mova360p, new ClusterHardware(DeviceCatalog.Gpu48, 4));
        var plan = new ExecutionPlan(2, true, false);

        Assert.Equal(new PlanSimulator(estimator, seed: 7).Run(plan), new PlanSimulator(estimator, seed: 7).Run(plan));
    }
}
