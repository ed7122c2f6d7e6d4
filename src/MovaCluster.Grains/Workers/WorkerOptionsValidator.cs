using Microsoft.Extensions.Options;

namespace MovaCluster.Grains.Workers;

/// <summary>Checks <see cref="WorkerOptions"/>, reporting every problem at once.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"{WorkerOptions.SectionName}:HeartbeatInterval must be positive.");
        }

        if (options.StallTimeout <= options.HeartbeatInterval)
        {
            failures.Add($"{WorkerOptions.SectionName}:StallTimeout must be longer than HeartbeatInterval.");
        }

        if (options.JobCallRetryWindow < TimeSpan.Zero)
        {
            failures.Add($"{WorkerOptions.SectionName}:JobCallRetryWindow must not be negative.");
        }

        if (options.CheckpointEverySteps < 1)
        {
            failures.Add($"{WorkerOptions.SectionName}:CheckpointEverySteps must be at least 1.");
        }

        if (options.PreviewEverySteps < 1)
        {
            failures.Add($"{WorkerOptions.SectionName}:PreviewEverySteps must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
