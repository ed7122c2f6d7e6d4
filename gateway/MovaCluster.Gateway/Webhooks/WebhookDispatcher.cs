using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MovaCluster.Gateway.Configuration;
using MovaCluster.Gateway.Dashboard.Telemetry;

namespace MovaCluster.Gateway.Webhooks;

/// <summary>
/// Delivers webhooks in the background: a few concurrent senders, each attempt with its own timeout, failed
/// attempts retried after an exponentially growing, jittered delay. Nothing here waits on or touches a job.
/// </summary>
public sealed partial class WebhookDispatcher(
    IHttpClientFactory httpClients,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    WebhookMetrics metrics,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "mova-webhooks";

    private readonly Channel<WebhookDelivery> _pending = Channel.CreateUnbounded<WebhookDelivery>();

    private WebhookOptions Settings => options.Value.Webhooks;

    public void Enqueue(WebhookDelivery delivery) => _pending.Writer.TryWrite(delivery);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Settings.Concurrency).Select(_ => SendLoopAsync(stoppingToken)));

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (await TrySendAsync(delivery, stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                var next = delivery with { Attempt = delivery.Attempt + 1 };
                if (next.Attempt >= Settings.MaxAttempts)
                {
                    LogGaveUp(delivery.WebhookId, delivery.Url, next.Attempt);
                    metrics.Abandoned();
                    continue;
                }

                _ = RetryLaterAsync(next, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TrySendAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new ByteArrayContent(delivery.Body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", delivery.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(delivery.Secret, delivery.WebhookId, timestamp, delivery.Body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(Settings.AttemptTimeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(delivery.WebhookId, delivery.Url, delivery.Attempt + 1);
                metrics.Delivered();
                return true;
            }

            LogAttemptFailed(delivery.WebhookId, delivery.Url, delivery.Attempt + 1, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception failure) when (failure is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogAttemptFailed(delivery.WebhookId, delivery.Url, delivery.Attempt + 1, failure.Message);
        }

        metrics.Failed();
        return false;
    }

    private async Task RetryLaterAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var exponential = Settings.InitialRetryDelay * Math.Pow(2, delivery.Attempt - 1);
        var capped = exponential < Settings.MaxRetryDelay ? exponential : Settings.MaxRetryDelay;
        var jittered = capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
        try
        {
            await Task.Delay(jittered, time, stoppingToken).ConfigureAwait(false);
            Enqueue(delivery);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} delivered to {Url} on attempt {Attempt}")]
    private partial void LogDelivered(string webhookId, Uri url, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} to {Url}: attempt {Attempt} failed ({Reason})")]
    private partial void LogAttemptFailed(string webhookId, Uri url, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {WebhookId} to {Url} abandoned after {Attempts} attempts")]
    private partial void LogGaveUp(string webhookId, Uri url, int attempts);
}
