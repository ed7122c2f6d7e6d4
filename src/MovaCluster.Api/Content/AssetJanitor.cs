using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Events;

namespace MovaCluster.Api.Content;

/// <summary>Deletes the assets of a video deleted while it was still running, once its job has really stopped.</summary>
public sealed partial class AssetJanitor(IClusterClient cluster, JobEventHub hub, IVideoContentSource content, ILogger<AssetJanitor> logger)
{
    /// <summary>How long the janitor waits for a cancelled job to stop. Default 1 hour.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(1);

    public void DeleteWhenFinished(string jobId) => _ = Task.Run(() => RunAsync(jobId));

    private async Task RunAsync(string jobId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(GiveUpAfter);
            await using (var watcher = await hub.WatchAsync(jobId, 0, timeout.Token).ConfigureAwait(false))
            {
                await foreach (var _ in watcher.ReadAllAsync(TimeSpan.FromMinutes(1), timeout.Token).ConfigureAwait(false))
                {
                }
            }

            var job = await cluster.GetGrain<IJobGrain>(jobId).GetAsync().ConfigureAwait(false);
            await content.DeleteAsync(job, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            LogCleanupFailed(failure, jobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the assets of deleted video {JobId}")]
    private partial void LogCleanupFailed(Exception failure, string jobId);
}
