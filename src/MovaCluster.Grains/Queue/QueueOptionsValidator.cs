using Microsoft.Extensions.Options;

namespace MovaCluster.Grains.Queue;

/// <summary>Checks <see cref="QueueOptions"/>, reporting every problem at once.</summary>
internal sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        var section = QueueOptions.SectionName;
        if (options.MaxQueuedPerTenant < 1)
        {
            failures.Add($"{section}:MaxQueuedPerTenant must be at least 1.");
        }

        if (options.MaxRunningPerTenant < 1)
        {
            failures.Add($"{section}:MaxRunningPerTenant must be at least 1.");
        }

        if (options.MaxQueued < 1)
        {
            failures.Add($"{section}:MaxQueued must be at least 1.");
        }

        if (options.DefaultTenantWeight <= 0 || options.TenantWeights.Values.Any(weight => weight <= 0))
        {
            failures.Add($"{section}: tenant weights must be positive.");
        }

        if (options.LeaseTimeout <= TimeSpan.Zero || options.LeaseCheckInterval <= TimeSpan.Zero)
        {
            failures.Add($"{section}:LeaseTimeout and LeaseCheckInterval must be positive.");
        }

        if (options.LoraAffinityWindow < 1 || options.LoraAffinityMaxSkips < 0)
        {
            failures.Add($"{section}:LoraAffinityWindow must be at least 1 and LoraAffinityMaxSkips not negative.");
        }

        if (options.InitialMillisecondsPerStep <= 0)
        {
            failures.Add($"{section}:InitialMillisecondsPerStep must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
