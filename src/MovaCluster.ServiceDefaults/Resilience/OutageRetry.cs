using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace MovaCluster.ServiceDefaults.Resilience;

/// <summary>
/// Retries transient failures (see <see cref="TransientFailure"/>) with exponential backoff and jitter for as long as a
/// <see cref="RetryWindow"/> allows, then lets the last failure through. Each retry is logged at Debug; callers log
/// what giving up means for them. Continuations stay on the caller's scheduler, so a grain may retry its own writes.
/// </summary>
public sealed partial class OutageRetry
{
    private static readonly ResiliencePropertyKey<RetryWindow> WindowKey = new("mova.retry-window");
    private static readonly ResiliencePropertyKey<long> StartedKey = new("mova.retry-started");
    private static readonly ResiliencePropertyKey<string> OperationKey = new("mova.retry-operation");

    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger<OutageRetry> _logger;

    public OutageRetry(IOptions<ResilienceOptions> options, TimeProvider time, ILogger<OutageRetry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        var settings = options.Value;
        Settings = settings;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.FirstRetryDelay,
                MaxDelay = settings.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } failure
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && args.Context.Properties.GetValue(WindowKey, default).Allows(failure, Elapsed(args.Context))),
                OnRetry = args =>
                {
                    LogRetrying(args.Context.Properties.GetValue(OperationKey, "?"), args.AttemptNumber + 1,
                        args.Outcome.Exception?.GetType().Name ?? "", args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The configured windows and delays.</summary>
    public ResilienceOptions Settings { get; }

    /// <summary>Runs <paramref name="operation"/>, retrying within <paramref name="window"/>.</summary>
    public async Task<T> ExecuteAsync<T>(string operation, RetryWindow window, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var context = ResilienceContextPool.Shared.Get(operation, continueOnCapturedContext: true, cancellationToken);
        context.Properties.Set(WindowKey, window);
        context.Properties.Set(StartedKey, _time.GetTimestamp());
        context.Properties.Set(OperationKey, operation);
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, state) => await state(ctx.CancellationToken), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Runs <paramref name="call"/> (no result), retrying within <paramref name="window"/>.</summary>
    public Task ExecuteAsync(string operation, RetryWindow window, Func<CancellationToken, Task> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ExecuteAsync(operation, window, async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);
    }

    private TimeSpan Elapsed(ResilienceContext context) => _time.GetElapsedTime(context.Properties.GetValue(StartedKey, _time.GetTimestamp()));

    [LoggerMessage(EventId = 7401, Level = LogLevel.Debug, Message = "{Operation}: attempt {Attempt} failed ({Failure}); retrying in {Delay}")]
    private partial void LogRetrying(string operation, int attempt, string failure, TimeSpan delay);
}
