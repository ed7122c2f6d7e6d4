using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Jobs;

/// <summary>Checks a submission before it is accepted; returns every problem in one message.</summary>
internal static class JobRequestValidator
{
    public static string? Validate(JobSubmission submission, JobOptions options)
    {
        var problems = new List<string>();
        var request = submission.Request;
        if (string.IsNullOrWhiteSpace(submission.TenantId))
        {
            problems.Add("tenant id is empty");
        }

        if (request is null)
        {
            return "the submission has no request";
        }

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            problems.Add("prompt is empty");
        }

        if (request.Width <= 0 || request.Height <= 0 || request.FrameCount <= 0)
        {
            problems.Add($"size {request.Width}x{request.Height}x{request.FrameCount} must be positive");
        }
        else if (request.Volume > options.MaxVolume)
        {
            problems.Add($"width x height x frames = {request.Volume} exceeds the limit {options.MaxVolume}");
        }

        if (request.Steps <= 0 || request.Steps > options.MaxSteps)
        {
            problems.Add($"steps must be between 1 and {options.MaxSteps} (got {request.Steps})");
        }

        problems.AddRange(JobLoraValidator.Problems(request.Loras));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
