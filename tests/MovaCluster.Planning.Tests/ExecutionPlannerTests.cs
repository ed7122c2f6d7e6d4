
namespace MovaCluster.Planning.Tests;

public sealed class ExecutionPlannerTests
{
    private static ExecutionPlanner Planner(int memoryGb, int gpus, WorkloadShape? workload = null) =>
        new(new PlanEstimator(MovaArchitecture.Mova, workload ?? WorkloadShape.Mova360p, new ClusterHardware(DeviceCatalog.ForMemoryTier(memoryGb), gpus)));

    [Fact]
    public void A_whole_replica_does_not_fit_a_24_GB_card_and_the_reason_names_the_memory()
    {
        var replica = Planner(24, 1).Candidates().Single(c => c.Plan == ExecutionPlan.SingleDevice);

        Assert.False(replica.Fits);
        Assert.Contains("GiB", replica.Rejection, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Planner(24, 1).Choose(PlannerObjective.Throughput));
    }

    [Fact]
    public void Four_24_GB_cards_run_a_layer_range_pipeline_within_their_memory()
    {
        var best = Planner(24, 4).Choose(PlannerObjective.Throughput);

        Assert.True(best.Plan.PipelineStages > 1);
        Assert.True(best.PeakDeviceBytes <= DeviceCatalog.Gpu24.MemoryBytes);
        Assert.All(best.Layout!.DeviceBytes, bytes => Assert.True(bytes <= DeviceCatalog.Gpu24.MemoryBytes));
    }

    [Fact]
    public void Cfg_parallel_pairs_halve_latency_on_two_80_GB_cards()
    {
        var planner = Planner(80, 2);
        var replica = planner.Candidates().Single(c => c.Plan == ExecutionPlan.SingleDevice);
        var fastest = planner.Choose(PlannerObjective.Latency);

        Assert.True(fastest.Plan.CfgParallel);
        Assert.InRange(fastest.JobLatencySeconds / replica.JobLatencySeconds, 0.45, 0.6);
    }

    [Fact]
    public void Throughput_objective_prefers_independent_replicas_when_one_card_holds_the_model()
    {
        var best = Planner(141, 8).Choose(PlannerObjective.Throughput);

        Assert.Equal(ExecutionPlan.SingleDevice, best.Plan);
        Assert.Equal(8, best.Replicas);
    }

    [Fact]
    public void A_pinned_plan_is_used_and_a_pinned_plan_that_cannot_fit_is_a_clear_error()
    {
        var planner = Planner(80, 8);

        Assert.Equal("pipeline2+cfg", planner.Choose(PlannerObjective.Throughput, "pipeline2+cfg").Plan.Name);
        var error = Assert.Throws<InvalidOperationException>(() => Planner(24, 8).Choose(PlannerObjective.Throughput, "replica"));
        Assert.Contains("pinned plan 'replica' does not fit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replica")]
    [InlineData("pipeline4")]
    [InlineData("experts+cfg")]
    [InlineData("pipeline2+experts+cfg")]
    public void Plan_names_round_trip(string name)
    {
        Assert.Equal(name, ExecutionPlan.Parse(name).Name);
    }

    [Fact]
    public void An_unknown_plan_name_is_refused_with_the_grammar()
    {
        var error = Assert.Throws<FormatException>(() => ExecutionPlan.Parse("pipeline1+tensor"));

        Assert.Contains("pipelineN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_of_one_pipeline_stay_inside_a_node()
    {
        var estimator = new PlanEstimator(MovaArchitecture.Mova, WorkloadShape.Mova360p, new ClusterHardware(DeviceCatalog.Gpu24, 16, GpusPerNode: 4));

        var prediction = estimator.Predict(new ExecutionPlan(8, false, false));

        Assert.False(prediction.Fits);
        Assert.Contains("in one node", prediction.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cache_tiers_work_fraction_shortens_the_denoising_part_of_the_predictions_only()
    {
        var uncached = Planner(80, 1).Candidates().Single(c => c.Plan == ExecutionPlan.SingleDevice);
        var cached = Planner(80, 1, WorkloadShape.Mova360p with { WorkFraction = 0.6 }).Candidates().Single(c => c.Plan == ExecutionPlan.SingleDevice);
        var none = Planner(80, 1, WorkloadShape.Mova360p with { WorkFraction = 1e-9 }).Candidates().Single(c => c.Plan == ExecutionPlan.SingleDevice);

        var denoising = uncached.JobLatencySeconds - none.JobLatencySeconds;
        Assert.True(denoising > 0.5 * uncached.JobLatencySeconds, $"denoising is {denoising:F1} s of {uncached.JobLatencySeconds:F1} s");
        Assert.Equal(none.JobLatencySeconds + (0.6 * denoising), cached.JobLatencySeconds, 3);
        Assert.True(cached.JobsPerHour > uncached.JobsPerHour);
        Assert.Equal(uncached.PeakDeviceBytes, cached.PeakDeviceBytes);
    }
}
