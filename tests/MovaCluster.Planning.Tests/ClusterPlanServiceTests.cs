using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MovaCluster.Planning.Tests;

public sealed class ClusterPlanServiceTests
{
    private static ClusterPlanService Service(PlannerOptions options) => new(Options.Create(options), NullLogger<ClusterPlanService>.Instance);

    [Fact]
    public void Default_options_plan_one_80_GB_replica()
    {
        var active = Service(new PlannerOptions()).Active;

        Assert.Equal(ExecutionPlan.SingleDevice, active.Plan);
        Assert.True(active.JobsPerHour > 0);
    }

    [Fact]
    public void The_operator_objective_and_pin_are_honoured()
    {
        Assert.True(Service(new PlannerOptions { GpuCount = 2, Objective = PlannerObjective.Latency }).Active.Plan.CfgParallel);
        Assert.Equal("pipeline2", Service(new PlannerOptions { GpuCount = 4, Plan = "pipeline2" }).Active.Plan.Name);
    }

    [Fact]
    public void A_custom_gpu_is_planned_from_its_description()
    {
        var options = new PlannerOptions { GpuName = "B200-180GB", GpuMemoryGiB = 178, GpuEffectiveTflops = 1100, HostLinkGBps = 60, PeerLinkGBps = 900 };

        var active = Service(options).Active;

        Assert.Equal("B200-180GB", options.Device().Name);
        Assert.True(active.JobLatencySeconds < Service(new PlannerOptions()).Active.JobLatencySeconds);
    }

    [Fact]
    public void A_fleet_where_nothing_fits_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Service(new PlannerOptions { GpuMemoryGb = 24 }).Active);

        Assert.Contains("No execution plan fits 1 x RTX4090-24GB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_all_reported_with_their_keys()
    {
        var result = new PlannerOptionsValidator().Validate(null, new PlannerOptions { GpuCount = 0, GpuMemoryGb = 40, Resolution = "4k", Plan = "pipeline2+tensor" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Mova:Planner:GpuCount", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Mova:Planner:GpuMemoryGb", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Mova:Planner:Resolution", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Mova:Planner:Plan", StringComparison.Ordinal));
    }

    [Fact]
    public void A_custom_gpu_needs_every_figure()
    {
        var result = new PlannerOptionsValidator().Validate(null, new PlannerOptions { GpuName = "mystery" });

        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void A_registered_architecture_is_what_the_plans_are_sized_for()
    {
        // Half the layers of each expert: the stack is now the audio tower's 30 layers, and 24 GB cards do more with it.
        var smaller = MovaArchitecture.Mova with { Name = "half-depth", VideoExpert = MovaArchitecture.Mova.VideoExpert with { Layers = 20 } };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Planner:GpuMemoryGb"] = "24",
            ["Mova:Planner:GpuCount"] = "4",
        }).Build());
        services.AddLogging();
        services.AddMovaPlanner();
        using (var builtIn = services.BuildServiceProvider())
        {
            Assert.Same(MovaArchitecture.Mova, builtIn.GetRequiredService<ClusterPlanService>().Architecture);
        }

        services.AddSingleton(smaller);
        using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredService<ClusterPlanService>();

        Assert.Same(smaller, service.Architecture);
        Assert.Equal(30, service.Active.Layout!.StageLayers[^1].End.Value);
        Assert.True(service.Active.JobsPerHour > Service(new PlannerOptions { GpuMemoryGb = 24, GpuCount = 4 }).Active.JobsPerHour);
    }
}
