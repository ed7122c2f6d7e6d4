using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovaCluster.Storage.Retries;

/// <summary>
/// Runs a store operation, retrying transient failures with exponential backoff and jitter, and turns exhausted
/// retries into one <see cref="ClipStoreUnavailableException"/> that says what was tried.
/// </summary>
public sealed partial class StorageRetry(IOptions<StorageOptions> options, ILogger<StorageRetry> logger, TimeProvider time)
{
    /// <summary>Runs <paramref name="operation"/> (given the 1-based attempt number) until it succeeds, fails permanently or runs out of attempts.</summary>
    public async Task<T> ExecuteAsync<T>(string description, Func<int, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var settings = options.Value;
        var delay = settings.InitialRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (TransientStorageErrors.IsTransient(error, cancellationToken))
            {
                if (attempt >= settings.MaxAttempts)
                {
                    LogGaveUp(logger, description, attempt, error);
                    throw new ClipStoreUnavailableException(description, attempt, error);
                }

                var wait = Jitter(delay);
                LogRetrying(logger, description, attempt, wait.TotalMilliseconds, error.Message);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Runs an operation without a result; see <see cref="ExecuteAsync{T}"/>.</summary>
    public Task ExecuteAsync(string description, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return ExecuteAsync(description, async (attempt, token) =>
        {
            await operation(attempt, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    // A random wait between half and all of the delay keeps many silos from retrying a recovering store in step.
    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip store {Operation}: attempt {Attempt} failed ({Error}); retrying in {DelayMs:F0} ms")]
    private static partial void LogRetrying(ILogger logger, string operation, int attempt, double delayMs, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Clip store {Operation}: giving up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string operation, int attempts, Exception error);
}
