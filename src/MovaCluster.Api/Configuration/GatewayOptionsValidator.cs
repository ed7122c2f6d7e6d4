using Microsoft.Extensions.Options;

namespace MovaCluster.Api.Configuration;

/// <summary>Collects every problem of <see cref="GatewayOptions"/> so one start reports all of them.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    /// <summary>Shortest operator key accepted from configuration: it opens every admin endpoint.</summary>
    public const int MinOperatorKeyLength = 24;

    /// <summary>Longest wait for a worker a video may be given.</summary>
    public static readonly TimeSpan MaxWorkerWait = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.PollAfterMilliseconds <= 0)
        {
            problems.Add($"PollAfterMilliseconds must be positive (got {options.PollAfterMilliseconds}).");
        }

        if (options.MaxRequestBytes <= 0 || options.MaxImageBytes <= 0 || options.MaxImageBytes > options.MaxRequestBytes)
        {
            problems.Add($"MaxRequestBytes ({options.MaxRequestBytes}) and MaxImageBytes ({options.MaxImageBytes}) must be positive, the image limit not above the request limit.");
        }

        if (options.StatusCacheMilliseconds < 0 || options.StatusCacheMilliseconds > options.PollAfterMilliseconds)
        {
            problems.Add($"StatusCacheMilliseconds must be within 0..PollAfterMilliseconds (got {options.StatusCacheMilliseconds}).");
        }

        if (options.OperatorApiKey is { } operatorKey && (operatorKey.Length < MinOperatorKeyLength || operatorKey.Any(char.IsWhiteSpace)))
        {
            problems.Add($"OperatorApiKey must be at least {MinOperatorKeyLength} characters without whitespace (got {operatorKey.Length} characters); generate one, e.g. with openssl rand -hex 24.");
        }

        if (options.MaxPromptCharacters <= 0)
        {
            problems.Add($"MaxPromptCharacters must be positive (got {options.MaxPromptCharacters}).");
        }

        if (options.DefaultModel.Length > 0 && !options.Models.ContainsKey(options.DefaultModel))
        {
            problems.Add($"DefaultModel '{options.DefaultModel}' is not one of the configured models ({string.Join(", ", options.Models.Keys)}); leave it empty to use the first model a live worker serves.");
        }

        if (options.WorkerWait < TimeSpan.Zero || options.WorkerWait > MaxWorkerWait)
        {
            problems.Add($"WorkerWait must be within 0..{MaxWorkerWait} (got {options.WorkerWait}).");
        }

        if (options.PublicBaseUrl is { } publicBase && (!publicBase.IsAbsoluteUri || publicBase.Scheme is not ("http" or "https")))
        {
            problems.Add($"PublicBaseUrl must be an absolute http(s) URL (got '{publicBase}').");
        }

        AddAnonymousProblems(options, problems);
        foreach (var (model, profile) in options.Models)
        {
            if (string.IsNullOrWhiteSpace(profile.WorkerModel))
            {
                problems.Add($"Model '{model}': WorkerModel must name the model its workers report (Mova:Execution:Mova:ModelName, by default the checkpoint folder's name).");
            }

            if (profile.DefaultWidth % 16 != 0 || profile.DefaultHeight % 16 != 0 || profile.DefaultWidth <= 0 || profile.DefaultHeight <= 0)
            {
                problems.Add($"Model '{model}': the default size {profile.DefaultWidth}x{profile.DefaultHeight} must be positive multiples of 16.");
            }

            if (profile.MaxFrames < 1 || (profile.MaxFrames - 1) % 4 != 0)
            {
                problems.Add($"Model '{model}': MaxFrames {profile.MaxFrames} must be of the form 4k+1.");
            }

            if (profile.DefaultSteps < 1 || profile.DefaultSteps > profile.MaxSteps || profile.DefaultFps < 1)
            {
                problems.Add($"Model '{model}': DefaultSteps must be within 1..MaxSteps and DefaultFps positive.");
            }
        }

        var webhooks = options.Webhooks;
        if (webhooks.MaxAttempts < 1 || webhooks.Concurrency < 1 || webhooks.AttemptTimeout <= TimeSpan.Zero || webhooks.InitialRetryDelay < TimeSpan.Zero)
        {
            problems.Add("Webhooks: MaxAttempts and Concurrency must be at least 1, AttemptTimeout positive and InitialRetryDelay not negative.");
        }

        if (webhooks.PollInterval <= TimeSpan.Zero || webhooks.ClaimTimeout <= webhooks.AttemptTimeout || webhooks.WatchLease < TimeSpan.FromMilliseconds(300))
        {
            problems.Add("Webhooks: PollInterval must be positive, ClaimTimeout longer than AttemptTimeout and WatchLease at least 300 ms.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void AddAnonymousProblems(GatewayOptions options, List<string> problems)
    {
        var anonymous = options.Anonymous;
        if (!anonymous.Enabled)
        {
            return;
        }

        if (anonymous.TenantId.Length is 0 or > 64 || !anonymous.TenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problems.Add($"Anonymous:TenantId '{anonymous.TenantId}' must be 1-64 characters from a-z, A-Z, 0-9, '-' and '_'.");
        }

        if (anonymous.TenantId == options.Development.TenantId || anonymous.TenantId == Tenancy.DevelopmentTenantSeeder.OperatorTenantId)
        {
            problems.Add($"Anonymous:TenantId '{anonymous.TenantId}' is the development or operator tenant's id; keyless clients would share that tenant's videos.");
        }

        var quotas = anonymous.Quotas;
        if (quotas.MaxRunningJobs < 1 || quotas.MaxQueuedJobs < 0 || quotas.VideoSecondsPerDay <= 0 || quotas.RequestsPerSecond < 1 || quotas.RequestBurst < quotas.RequestsPerSecond)
        {
            problems.Add("Anonymous:Quotas: MaxRunningJobs and RequestsPerSecond must be at least 1, MaxQueuedJobs not negative, VideoSecondsPerDay positive and RequestBurst at least RequestsPerSecond.");
        }
    }
}
