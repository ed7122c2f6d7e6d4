using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Planning;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests;

public sealed class EmbeddedHostTests
{
    [Fact]
    public async Task Embedded_silo_answers_liveness_at_once_and_health_with_every_check_once_its_worker_has_loaded()
    {
        await using var factory = new EmbeddedSiloFactory();
        using var client = factory.CreateClient();

        using var alive = await client.GetAsync("/alive");
        var health = await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await client.GetAsync("/health");
                return (response.StatusCode, Body: JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
            },
            answer => answer.Body.GetProperty("status").GetString() == "Healthy", TimeSpan.FromMinutes(2), "/health to be healthy");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var checks = health.Body.GetProperty("checks");
        Assert.Equal(["self", "orleans-silo", "ffmpeg", "device-workers"], checks.EnumerateObject().Select(check => check.Name));
        Assert.All(checks.EnumerateObject(), check => Assert.Equal("Healthy", check.Value.GetProperty("status").GetString()));
        Assert.Equal("cpu: ready, serving mova-tiny (random weights; output is noise)", checks.GetProperty("device-workers").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Embedded_silo_activates_grains_in_process()
    {
        await using var factory = new EmbeddedSiloFactory();
        _ = factory.Server;
        var grains = factory.Services.GetRequiredService<IGrainFactory>();

        var answer = await grains.GetGrain<IEchoGrain>("embedded").EchoAsync("ping");

        Assert.StartsWith("ping from ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_mode_without_a_connection_string_fails_at_start_with_the_option_named()
    {
        using var factory = new EmbeddedSiloFactory().With("Mova:Cluster:Mode", "Redis");

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Mova:Cluster:RedisConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_silo_publishes_the_plan_chosen_for_the_configured_fleet()
    {
        await using var factory = new EmbeddedSiloFactory()
            .With("Mova:Planner:GpuCount", "4")
            .With("Mova:Planner:GpuMemoryGb", "24");
        _ = factory.Server;

        var plan = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IClusterPlanGrain>(0).GetAsync();

        Assert.NotNull(plan);
        Assert.Equal("pipeline4", plan.Plan);
        Assert.Equal("RTX4090-24GB", plan.Gpu);
        Assert.True(plan.PredictedJobsPerHour > 0);
        Assert.Null(plan.Error);
    }

    [Fact]
    public async Task A_fleet_nothing_fits_is_published_as_an_error_not_a_crash()
    {
        await using var factory = new EmbeddedSiloFactory().With("Mova:Planner:GpuMemoryGb", "24");
        _ = factory.Server;

        var plan = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IClusterPlanGrain>(0).GetAsync();

        Assert.NotNull(plan);
        Assert.Null(plan.Plan);
        Assert.Contains("No execution plan fits", plan.Error, StringComparison.Ordinal);
    }
}
