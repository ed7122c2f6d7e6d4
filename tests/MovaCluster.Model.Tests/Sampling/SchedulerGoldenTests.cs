using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Sampling;

public sealed class SchedulerGoldenTests
{
    public static TheoryData<string> SchedulerCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in GoldenSet.SchedulerCases)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_manifest_lists_a_scheduler_case() => Assert.NotEmpty(GoldenSet.SchedulerCases);

    [Theory]
    [MemberData(nameof(SchedulerCases))]
    public void Every_scheduler_combo_matches_bit_for_bit(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        var boundaryRatio = GoldenSet.BoundaryRatio;
        var combos = golden.Params.GetProperty("combos").EnumerateArray().ToList();
        Assert.NotEmpty(combos);
        foreach (var combo in combos)
        {
            var name = combo.GetProperty("name").GetString()!;
            var steps = combo.GetProperty("num_inference_steps").GetInt32();
            var config = ConfigJson.Parse<FlowMatchSchedulerConfig>(combo.GetProperty("scheduler_config").GetRawText(), name);
            var schedule = new FlowMatchPairSchedule(config, steps);

            AssertExact(golden[$"{name}.pair_timesteps"].select(1, 0), schedule.Timesteps, $"{name} timesteps");
            AssertExact(golden[$"{name}.pair_timesteps"].select(1, 1), schedule.Timesteps, $"{name} audio timesteps");
            AssertExact(golden[$"{name}.pair_sigmas"].select(1, 0), schedule.Sigmas, $"{name} sigmas");
            AssertExact(golden[$"{name}.snapped_sigmas"], [.. schedule.Timesteps.Select(schedule.SnapSigma)], $"{name} snapped");
            if (golden.Has($"{name}.train_timesteps"))
            {
                AssertExact(golden[$"{name}.train_timesteps"], schedule.TrainTimesteps, $"{name} train timesteps");
                AssertExact(golden[$"{name}.train_sigmas"], schedule.TrainSigmas, $"{name} train sigmas");
            }

            var sample = golden[$"{name}.step_input.sample"];
            var velocity = golden[$"{name}.step_input.model_output"];
            for (var k = 0; k < steps; k++)
            {
                using var stepped = schedule.Step(velocity, k, sample);
                TensorAssert.Equal(stepped, golden[$"{name}.step_from_to"][k], $"{name} step {k}");
            }

            var expectedSwitch = combo.GetProperty("switch_step_at_boundary").GetInt32();
            // The switch the official pipeline makes with the set's model_index.json boundary ratio.
            var experts = ExpertSchedule.For(schedule.Timesteps, boundaryRatio, config.NumTrainTimesteps);
            Assert.Equal(expectedSwitch, experts.ToList().IndexOf(VideoExpert.LowNoise) is var i && i >= 0 ? i : experts.Count);
        }
    }

    private static void AssertExact(torch.Tensor expected, IReadOnlyList<float> actual, string what)
    {
        var values = expected.contiguous().data<float>().ToArray();
        Assert.True(values.SequenceEqual(actual), $"{what} differ: first mismatch at {Enumerable.Range(0, values.Length).FirstOrDefault(j => j >= actual.Count || values[j] != actual[j])}");
    }
}
