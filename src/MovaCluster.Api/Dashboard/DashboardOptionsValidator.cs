using Microsoft.Extensions.Options;

namespace MovaCluster.Api.Dashboard;

/// <summary>Collects every invalid dashboard setting into one failure.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.SampleInterval < TimeSpan.FromMilliseconds(100) || options.SampleInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{DashboardOptions.SectionName}:SampleInterval must be between 100 ms and 1 minute (was {options.SampleInterval}).");
        }

        if (options.MaxJobs is < 1 or > 10_000)
        {
            failures.Add($"{DashboardOptions.SectionName}:MaxJobs must be between 1 and 10000 (was {options.MaxJobs}).");
        }

        if (options.RecentFinishedJobs is < 0 or > 1_000)
        {
            failures.Add($"{DashboardOptions.SectionName}:RecentFinishedJobs must be between 0 and 1000 (was {options.RecentFinishedJobs}).");
        }

        if (options.ChartHours is < 1 or > 168)
        {
            failures.Add($"{DashboardOptions.SectionName}:ChartHours must be between 1 and 168 (was {options.ChartHours}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
