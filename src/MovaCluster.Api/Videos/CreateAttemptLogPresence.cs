using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Keeps this gateway's presence in the shared attempt log fresh, so that its creates in flight are not taken over by
/// retries while it lives, and are once it dies (see <see cref="RedisCreateAttemptLog"/>).
/// </summary>
public sealed partial class CreateAttemptLogPresence(RedisCreateAttemptLog log, TimeProvider time, ILogger<CreateAttemptLogPresence> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RedisCreateAttemptLog.PresenceInterval, time);
        do
        {
            try
            {
                await log.RefreshPresenceAsync().ConfigureAwait(false);
            }
            catch (Exception failure) when (ServerFailure.IsTransient(failure))
            {
                // Unrefreshed, the presence lapses and this gateway's creates in flight become retryable elsewhere;
                // with Redis unreachable, none of them can finish anyway.
                LogRefreshFailed(failure.GetType().Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 7203, Level = LogLevel.Debug, Message = "Refreshing this gateway's presence in the create attempt log failed ({Failure})")]
    private partial void LogRefreshFailed(string failure);
}
