using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Small submissions for the simulated executor.</summary>
public static class Requests
{
    public static JobSubmission Tiny(string tenant, int steps = 6, long seed = 42, JobPriority priority = JobPriority.Standard) => new()
    {
        TenantId = tenant,
        Priority = priority,
        Request = new GenerationRequest { Prompt = "a red fox in snow", Width = 16, Height = 16, FrameCount = 5, Steps = steps, Seed = seed },
    };

    public static string NewJobId() => "job-" + Guid.NewGuid().ToString("N")[..12];
}
