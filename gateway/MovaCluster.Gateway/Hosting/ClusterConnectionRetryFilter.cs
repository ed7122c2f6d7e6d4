namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps a starting gateway trying to reach the cluster (Redis not up yet, no silo active yet) instead of exiting:
/// pods start in any order, and a gateway that exits only restarts later, with a growing back-off.
/// </summary>
internal sealed partial class ClusterConnectionRetryFilter(ILogger<ClusterConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetrying(++_attempts, exception.Message);
        await Task.Delay(Pause, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Cannot reach the cluster yet (attempt {Attempt}): {Reason}; trying again")]
    private partial void LogRetrying(int attempt, string reason);
}
