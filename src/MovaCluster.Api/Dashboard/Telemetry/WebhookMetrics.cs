using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MovaCluster.Api.Dashboard.Telemetry;

/// <summary>Webhook delivery attempts on the "MovaCluster" meter, by outcome (delivered, retrying, abandoned).</summary>
public sealed class WebhookMetrics
{
    /// <summary>Meter name, equal to MovaCluster.ServiceDefaults' MovaTelemetry.MeterName.</summary>
    public const string MeterName = "MovaCluster";

    private readonly Counter<long> _attempts;

    public WebhookMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _attempts = meters.Create(MeterName).CreateCounter<long>(
            "mova.webhook.deliveries", "{attempt}", "Webhook delivery attempts by outcome: delivered, failed (retried later) or abandoned.");
    }

    public void Delivered() => Add("delivered");

    public void Failed() => Add("failed");

    public void Abandoned() => Add("abandoned");

    private void Add(string outcome) => _attempts.Add(1, new TagList { { "outcome", outcome } });
}
