using MovaCluster.Model.Planning;

namespace MovaCluster.Model.Tests.Planning;

/// <summary>The planner's sizes come from the architecture, so they must reproduce MOVA's published parameter counts.</summary>
public sealed class MovaArchitectureTests
{
    [Theory]
    [InlineData("expert", 14.29e9)]
    [InlineData("audio", 1.42e9)]
    [InlineData("bridge", 2.66e9)]
    public void Parameter_counts_match_the_spec(string component, double expected)
    {
        var mova = MovaArchitecture.Mova;
        double actual = component switch
        {
            "expert" => mova.VideoExpert.TotalParameters,
            "audio" => mova.Audio.TotalParameters,
            _ => mova.Bridge.TotalParameters,
        };

        Assert.InRange(actual / expected, 0.995, 1.005);
    }

    [Fact]
    public void Whole_model_is_32_7_billion_parameters_with_18_4_billion_active()
    {
        var mova = MovaArchitecture.Mova;
        var total = (2.0 * mova.VideoExpert.TotalParameters) + mova.Audio.TotalParameters + mova.Bridge.TotalParameters;
        var active = total - mova.VideoExpert.TotalParameters;

        Assert.InRange(total / 1e9, 32.6, 32.8);
        Assert.InRange(active / 1e9, 18.3, 18.5);
    }

    [Fact]
    public void Token_counts_and_expert_split_follow_the_sampler()
    {
        Assert.Equal(43_120, WorkloadShape.Mova360p.VideoTokens);
        Assert.Equal(176_400, WorkloadShape.Mova720p.VideoTokens);
        Assert.Equal(403, WorkloadShape.Mova360p.AudioTokens);
        Assert.Equal(18, WorkloadShape.Mova360p.HighNoiseSteps);
        Assert.Equal(32, WorkloadShape.Mova360p.LowNoiseSteps);
        Assert.Equal(1, (WorkloadShape.Mova360p with { GuidanceScale = 1.0 }).PassesPerStep);
    }

    [Fact]
    public void Tiny_schedule_switches_experts_at_step_two()
    {
        // SPEC 8: N=4, shift 5 gives t = 1000, 937.7, 834.2, 627.8, so two steps run on the high-noise expert.
        var tiny = new WorkloadShape("tiny", 32, 32, 9, Steps: 4);

        Assert.Equal(2, tiny.HighNoiseSteps);
    }
}
