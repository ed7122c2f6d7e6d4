using System.Text.Json;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Gateway.Configuration;
using MovaCluster.Gateway.Events;
using MovaCluster.Gateway.Json;
using MovaCluster.Gateway.Tenancy;
using MovaCluster.Gateway.Videos;

namespace MovaCluster.Gateway.Webhooks;

/// <summary>
/// Follows each video that has a webhook URL (on the gateway that created it) and hands the terminal event to the
/// <see cref="WebhookDispatcher"/>: video.completed, video.failed or video.cancelled.
/// </summary>
public sealed partial class WebhookNotifier(
    IClusterClient cluster,
    JobEventHub hub,
    WebhookDispatcher dispatcher,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<WebhookNotifier> logger)
{
    /// <summary>Tries to put a terminal event into the outbox this often (1 s, 2 s, ... apart) before giving it up.</summary>
    public const int OutboxAttempts = 10;

    public void Watch(Tenant tenant, VideoRecord record)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(record);
        _ = Task.Run(() => FollowAsync(tenant, record));
    }

    private async Task FollowAsync(Tenant tenant, VideoRecord record)
    {
        var lastSequence = 0L;
        try
        {
            // A lagging watcher resumes from its last sequence; the loop ends at the job's terminal event.
            while (true)
            {
                try
                {
                    await using var watcher = await hub.WatchAsync(record.Id, lastSequence, CancellationToken.None).ConfigureAwait(false);
                    await foreach (var item in watcher.ReadAllAsync(TimeSpan.FromMinutes(5), CancellationToken.None).ConfigureAwait(false))
                    {
                        lastSequence = watcher.LastSequence;
                        if (item is not null && JobEventWatcher.IsTerminal(item))
                        {
                            await NotifyAsync(tenant, record, JobEventPayload.TypeOf(item), item.Sequence).ConfigureAwait(false);
                            return;
                        }
                    }

                    var job = await cluster.GetGrain<IJobGrain>(record.Id).GetAsync().ConfigureAwait(false);
                    if (job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled)
                    {
                        await NotifyAsync(tenant, record, "video." + VideoObjectMapper.Status(job.Status), job.LastEventSequence).ConfigureAwait(false);
                        return;
                    }
                }
                catch (JobEventsLaggedException)
                {
                }
            }
        }
        catch (Exception failure)
        {
            LogFollowFailed(failure, record.Id);
        }
    }

    private async Task NotifyAsync(Tenant tenant, VideoRecord record, string type, long sequence)
    {
        var job = await cluster.GetGrain<IJobGrain>(record.Id).GetAsync().ConfigureAwait(false);
        var webhookId = $"evt_{record.Id}_{sequence}";
        var payload = new WebhookEvent(webhookId, type, time.GetUtcNow().ToUnixTimeSeconds(),
            VideoObjectMapper.Map(record, job, options.Value.AssetLifetime));
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, GatewayJson.Options);
        var delivery = new WebhookDelivery(webhookId, new Uri(record.WebhookUrl!), tenant.WebhookSecret, body);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await dispatcher.EnqueueAsync(delivery, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception failure) when (attempt < OutboxAttempts)
            {
                LogOutboxAddFailed(failure, record.Id, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), time).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not put the webhook of video {VideoId} into the outbox (try {Attempt}); trying again")]
    private partial void LogOutboxAddFailed(Exception failure, string videoId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped following video {VideoId} for its webhook")]
    private partial void LogFollowFailed(Exception failure, string videoId);
}
