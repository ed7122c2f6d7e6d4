using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Dashboard.Telemetry;

namespace MovaCluster.Api.Webhooks;

/// <summary>
/// Delivers webhooks from the <see cref="IWebhookOutbox"/> in the background: claims due deliveries (at most
/// <see cref="WebhookOptions.Concurrency"/> in flight), sends each with its own timeout, and removes it once the
/// receiver answered 2xx; a failed attempt is rescheduled after an exponentially growing, jittered delay. With the
/// Redis outbox any gateway sends any pending delivery, so one that stops or dies loses none: a stopping gateway
/// hands its in-flight deliveries back at once, a dead one's claims run out after <see cref="WebhookOptions.ClaimTimeout"/>.
/// Delivery is at least once; receivers drop repeats by the <c>webhook-id</c> header. Nothing here waits on or
/// touches a job.
/// </summary>
public sealed partial class WebhookDispatcher(
    IWebhookOutbox outbox,
    IHttpClientFactory httpClients,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    WebhookMetrics metrics,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "mova-webhooks";

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    private WebhookOptions Settings => options.Value.Webhooks;

    /// <summary>Stores the delivery in the outbox, due now, and wakes the sender.</summary>
    public async Task EnqueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await outbox.AddAsync(delivery, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = Settings.Concurrency - _inFlight.Count;
                var claimed = free > 0 ? await ClaimAsync(free, stoppingToken).ConfigureAwait(false) : [];
                foreach (var delivery in claimed)
                {
                    Track(DeliverAsync(delivery, stoppingToken));
                }

                if (free <= 0 || claimed.Count < free)
                {
                    await WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<WebhookDelivery>> ClaimAsync(int max, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        try
        {
            return await outbox.ClaimDueAsync(now, now + Settings.ClaimTimeout, max, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
        {
            LogOutboxFailed(failure);
            return [];
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(Settings.PollInterval);
        try
        {
            await _wake.Reader.ReadAsync(poll.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Track(Task delivery)
    {
        _inFlight[delivery] = true;
        _ = delivery.ContinueWith(
            finished =>
            {
                _inFlight.TryRemove(finished, out _);
                _wake.Writer.TryWrite(true);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            if (await TrySendAsync(delivery, stoppingToken).ConfigureAwait(false))
            {
                await outbox.RemoveAsync(delivery.WebhookId, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var next = delivery with { Attempt = delivery.Attempt + 1 };
            if (next.Attempt >= Settings.MaxAttempts)
            {
                LogGaveUp(delivery.WebhookId, delivery.Url, next.Attempt);
                metrics.Abandoned();
                await outbox.RemoveAsync(delivery.WebhookId, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            await outbox.RescheduleAsync(next, time.GetUtcNow() + RetryDelay(next.Attempt), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // This gateway is stopping mid-attempt: the attempt does not count, and any gateway may send it now.
            await HandBackAsync(delivery).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            // The claim runs out and the delivery becomes due again.
            LogOutboxFailed(failure);
        }
    }

    private async Task HandBackAsync(WebhookDelivery delivery)
    {
        try
        {
            await outbox.RescheduleAsync(delivery, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            LogOutboxFailed(failure);
        }
    }

    private async Task<bool> TrySendAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(Settings.AttemptTimeout);
        var url = WithoutCredentials(delivery.Url);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var response = await PostAsync(delivery, url, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    LogDelivered(delivery.WebhookId, url, delivery.Attempt + 1);
                    metrics.Delivered();
                    return true;
                }

                if (RedirectTarget(response, url) is not { } target)
                {
                    LogAttemptFailed(delivery.WebhookId, url, delivery.Attempt + 1, $"HTTP {(int)response.StatusCode}");
                    break;
                }

                if (redirects >= Settings.MaxRedirects || WebhookUrlRules.Check(target, Settings) is not null)
                {
                    LogAttemptFailed(delivery.WebhookId, url, delivery.Attempt + 1,
                        redirects >= Settings.MaxRedirects ? $"more than {Settings.MaxRedirects} redirects" : $"redirected to a refused URL ({WebhookUrlRules.Check(target, Settings)})");
                    break;
                }

                // The target's addresses are checked when it is connected to, like the original URL's.
                url = WithoutCredentials(target);
            }
        }
        catch (Exception failure) when (failure is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogAttemptFailed(delivery.WebhookId, url, delivery.Attempt + 1,
                failure.InnerException is WebhookAddressRefusedException refused ? refused.Message : failure.Message);
        }

        metrics.Failed();
        return false;
    }

    private async Task<HttpResponseMessage> PostAsync(WebhookDelivery delivery, Uri url, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(delivery.Body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", delivery.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(delivery.Secret, delivery.WebhookId, timestamp, delivery.Body));
        return await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where a 301/302/303/307/308 points (the signed POST is repeated there), or null for any other answer.</summary>
    private static Uri? RedirectTarget(HttpResponseMessage response, Uri from) =>
        (int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location : new Uri(from, location))
            : null;

    private static Uri WithoutCredentials(Uri url) =>
        url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = "", Password = "" }.Uri;

    /// <summary>
    /// The handler every delivery goes through: connections only to addresses the guard allows (resolved and checked
    /// inside the connect), no proxy (it would connect for us), no automatic redirects and no cookies.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(WebhookAddressGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return new SocketsHttpHandler
        {
            ConnectCallback = guard.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
    }

    private TimeSpan RetryDelay(int failedAttempts)
    {
        var exponential = Settings.InitialRetryDelay * Math.Pow(2, failedAttempts - 1);
        var capped = exponential < Settings.MaxRetryDelay ? exponential : Settings.MaxRetryDelay;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} delivered to {Url} on attempt {Attempt}")]
    private partial void LogDelivered(string webhookId, Uri url, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} to {Url}: attempt {Attempt} failed ({Reason})")]
    private partial void LogAttemptFailed(string webhookId, Uri url, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {WebhookId} to {Url} abandoned after {Attempts} attempts")]
    private partial void LogGaveUp(string webhookId, Uri url, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook outbox could not be read or updated; pending deliveries are retried later")]
    private partial void LogOutboxFailed(Exception failure);
}
