using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Events;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Webhooks;

/// <summary>
/// Follows each video that has a webhook URL and hands its terminal event (video.completed, video.failed or
/// video.cancelled) to the <see cref="WebhookDispatcher"/>. A create lists the video in the
/// <see cref="IWebhookWatchList"/> before it answers, leased to this gateway, which follows it and renews the lease;
/// a video whose lease ran out (its gateway stopped or died before the job ended) is taken over by whichever
/// gateway claims it first, so no webhook depends on one gateway staying up.
/// </summary>
public sealed partial class WebhookNotifier(
    IClusterClient cluster,
    JobEventHub hub,
    WebhookDispatcher dispatcher,
    IWebhookWatchList watches,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<WebhookNotifier> logger) : BackgroundService
{
    /// <summary>Tries to put a terminal event into the outbox this often (1 s, 2 s, ... apart) before giving it up.</summary>
    public const int OutboxAttempts = 10;

    /// <summary>Watches taken over per look at the list.</summary>
    public const int ClaimBatch = 100;

    private readonly ConcurrentDictionary<string, bool> _following = new(StringComparer.Ordinal);

    private WebhookOptions Settings => options.Value.Webhooks;

    /// <summary>
    /// Lists the video for its webhook (leased to this gateway) and starts following it. A failure to list it fails
    /// the create (which then takes the video back), so a created video's webhook never depends on this gateway alone.
    /// </summary>
    public async Task WatchAsync(Tenant tenant, VideoRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(record);
        var watch = new WebhookWatch(tenant.Id, tenant.WebhookSecret, record);
        await watches.AddAsync(watch, time.GetUtcNow() + Settings.WatchLease, cancellationToken).ConfigureAwait(false);
        Follow(watch);
    }

    /// <summary>Takes a video off the watch list (its create failed after listing it).</summary>
    public Task UnwatchAsync(string videoId) => watches.RemoveAsync(videoId, CancellationToken.None);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Hand the videos over now rather than when their leases run out.
            await watches.LeaseAsync(_following.Keys.ToList(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            LogWatchListFailed(failure);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Settings.WatchLease / 3, time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                await watches.LeaseAsync(_following.Keys.ToList(), now + Settings.WatchLease, stoppingToken).ConfigureAwait(false);
                IReadOnlyList<WebhookWatch> orphans;
                do
                {
                    orphans = await watches.ClaimExpiredAsync(now, now + Settings.WatchLease, ClaimBatch, stoppingToken).ConfigureAwait(false);
                    foreach (var orphan in orphans)
                    {
                        LogTakingOver(orphan.Record.Id);
                        Follow(orphan);
                    }
                }
                while (orphans.Count == ClaimBatch);
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                LogWatchListFailed(failure);
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
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Follow(WebhookWatch watch)
    {
        if (_following.TryAdd(watch.Record.Id, true))
        {
            _ = Task.Run(() => FollowAsync(watch));
        }
    }

    private async Task FollowAsync(WebhookWatch watch)
    {
        var record = watch.Record;
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
                            await NotifyAsync(watch, JobEventPayload.TypeOf(item), item.Sequence).ConfigureAwait(false);
                            return;
                        }
                    }

                    var job = await cluster.GetGrain<IJobGrain>(record.Id).GetAsync().ConfigureAwait(false);
                    if (job.Status == JobStatus.Unknown)
                    {
                        // Its create failed and withdrew the job: there is nothing to tell.
                        await watches.RemoveAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
                        return;
                    }

                    if (job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled)
                    {
                        await NotifyAsync(watch, "video." + VideoObjectMapper.Status(job.Status), job.LastEventSequence).ConfigureAwait(false);
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
            // The watch stays listed: once its lease runs out a gateway (maybe this one) follows it again.
            LogFollowFailed(failure, record.Id);
        }
        finally
        {
            _following.TryRemove(record.Id, out _);
        }
    }

    private async Task NotifyAsync(WebhookWatch watch, string type, long sequence)
    {
        var record = watch.Record;
        var job = await cluster.GetGrain<IJobGrain>(record.Id).GetAsync().ConfigureAwait(false);
        var webhookId = $"evt_{record.Id}_{sequence}";
        var payload = new WebhookEvent(webhookId, type, time.GetUtcNow().ToUnixTimeSeconds(),
            VideoLinks.With(VideoObjectMapper.Map(record, job, options.Value.AssetLifetime), options.Value.PublicBaseUrl?.AbsoluteUri.TrimEnd('/'), options.Value.DownloadUrlFields));
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, GatewayJson.Options);
        var delivery = new WebhookDelivery(webhookId, new Uri(record.WebhookUrl!), watch.WebhookSecret, body);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await dispatcher.EnqueueAsync(delivery, CancellationToken.None).ConfigureAwait(false);
                await watches.RemoveAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception failure) when (attempt < OutboxAttempts)
            {
                LogOutboxAddFailed(failure, record.Id, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), time).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following video {VideoId} for its webhook: the gateway that did stopped")]
    private partial void LogTakingOver(string videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not put the webhook of video {VideoId} into the outbox (try {Attempt}); trying again")]
    private partial void LogOutboxAddFailed(Exception failure, string videoId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped following video {VideoId} for its webhook")]
    private partial void LogFollowFailed(Exception failure, string videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook watch list could not be read or updated; trying again later")]
    private partial void LogWatchListFailed(Exception failure);
}
