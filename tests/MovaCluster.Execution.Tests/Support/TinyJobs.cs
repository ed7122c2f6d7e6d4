using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Execution.Tests.Support;

/// <summary>Jobs sized for the tiny random-weights MOVA: 32x32, 9 frames at 8 fps, 4 steps, CFG 5.</summary>
internal static class TinyJobs
{
    public static GenerationJob Create(string jobId, string prompt, long seed) => new()
    {
        JobId = jobId,
        Request = new GenerationRequest
        {
            Prompt = prompt,
            NegativePrompt = "blurry",
            Width = 32,
            Height = 32,
            FrameCount = 9,
            FramesPerSecond = 8,
            Steps = 4,
            GuidanceScale = 5f,
        },
        Seed = seed,
    };
}
