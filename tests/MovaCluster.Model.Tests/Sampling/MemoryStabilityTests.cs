using System.Diagnostics;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Sampling;

/// <summary>No tensor leaks: the process's resident memory stays flat over many sampling steps.</summary>
[Collection(SerialCollection.Name)]
public sealed class MemoryStabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Resident_memory_stays_flat_over_many_steps()
    {
        using var denoiser = RandomDenoiser.Create(new RandomDenoiser.Shape(), seed: 31);
        var input = RandomDenoiser.Input(denoiser, 3, 4, 4, 13, seed: 9);
        using var condition = torch.zeros([1, 20, 3, 4, 4]);
        using var noise = input.VideoInput.narrow(1, 0, 16).contiguous();
        var request = new SamplingRequest(noise, input.AudioLatents, condition, input.Context, input.Context, 24.0);
        var executor = new LocalStepExecutor(denoiser);

        using (MovaSampler.Run(executor, request, new SamplerOptions { NumInferenceSteps = 40, CfgScale = 3.0 }))
        {
        }

        var before = ResidentBytes();
        var live = 0L;
        using (MovaSampler.Run(executor, request, new SamplerOptions { NumInferenceSteps = 200, CfgScale = 3.0 }, onStep: p => live = Math.Max(live, p.StepIndex)))
        {
        }

        var growth = ResidentBytes() - before;
        output.WriteLine($"RSS before {before / 1e6:F1} MB, growth over 200 steps (400 passes) {growth / 1e6:F2} MB");
        Assert.Equal(199, live);
        Assert.True(growth < 24_000_000, $"RSS grew by {growth / 1e6:F1} MB over 200 steps.");
        input.VideoInput.Dispose();
        input.AudioLatents.Dispose();
        input.Context.Dispose();
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
