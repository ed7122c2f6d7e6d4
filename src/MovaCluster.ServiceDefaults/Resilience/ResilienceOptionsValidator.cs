using Microsoft.Extensions.Options;

namespace MovaCluster.ServiceDefaults.Resilience;

public sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = ResilienceOptions.SectionName;
        var failures = new List<string>();
        foreach (var (value, key) in new[]
        {
            (options.OutageGrace, nameof(options.OutageGrace)), (options.StoreCallBudget, nameof(options.StoreCallBudget)),
            (options.FirstRetryDelay, nameof(options.FirstRetryDelay)), (options.MaxRetryDelay, nameof(options.MaxRetryDelay)),
            (options.ApiCallRetryWindow, nameof(options.ApiCallRetryWindow)), (options.ApiCallTimeout, nameof(options.ApiCallTimeout)),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{section}:{key} must be positive (it is {value}).");
            }
        }

        if (options.FirstRetryDelay > options.MaxRetryDelay)
        {
            failures.Add($"{section}:FirstRetryDelay ({options.FirstRetryDelay}) must not exceed {section}:MaxRetryDelay ({options.MaxRetryDelay}).");
        }

        if (options.StoreCallBudget >= TimeSpan.FromSeconds(25))
        {
            failures.Add($"{section}:StoreCallBudget ({options.StoreCallBudget}) must stay below 25 s: a grain call that retries longer is timed out by Orleans (30 s) before it can answer.");
        }

        if (options.OutageGrace < options.StoreCallBudget)
        {
            failures.Add($"{section}:OutageGrace ({options.OutageGrace}) must be at least {section}:StoreCallBudget ({options.StoreCallBudget}).");
        }

        if (options.ApiCallTimeout <= options.StoreCallBudget)
        {
            failures.Add($"{section}:ApiCallTimeout ({options.ApiCallTimeout}) must be longer than {section}:StoreCallBudget ({options.StoreCallBudget}): a grain that retries its store write for that long must still answer in time.");
        }

        if (options.ApiCallTimeout >= options.ApiCallRetryWindow)
        {
            failures.Add($"{section}:ApiCallTimeout ({options.ApiCallTimeout}) must be shorter than {section}:ApiCallRetryWindow ({options.ApiCallRetryWindow}): a call lost with a dying silo must be tried again.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
