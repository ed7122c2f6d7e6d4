using System.Diagnostics;
using System.Diagnostics.Metrics;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Telemetry;

/// <summary>
/// The runtime's own instruments on the "MovaCluster" meter: queue depth and wait, step time, job outcomes and
/// device utilisation. Queue gauges are observed on the silo that holds the queue grain, worker gauges on each
/// worker's silo, so summing over silos never counts anything twice.
/// </summary>
public sealed class MovaMetrics
{
    /// <summary>Meter name, equal to MovaCluster.ServiceDefaults' MovaTelemetry.MeterName (the exporters listen to it).</summary>
    public const string MeterName = "MovaCluster";

    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _stepDuration;
    private readonly Counter<long> _jobsFinished;

    public MovaMetrics(IMeterFactory meters, QueueGauges queue, WorkerUtilisation workers)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(workers);
        Queue = queue;
        Workers = workers;
        var meter = meters.Create(MeterName);
        _queueWait = meter.CreateHistogram<double>("mova.queue.wait", "s", "Time from submission to dispatch to a worker.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600] });
        _stepDuration = meter.CreateHistogram<double>("mova.job.step.duration", "s", "Wall time of one denoising step on a worker.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80] });
        _jobsFinished = meter.CreateCounter<long>("mova.jobs.finished", "{job}", "Jobs that reached a terminal state, by outcome.");
        meter.CreateObservableGauge("mova.queue.depth", queue.DepthByPriorityAndTenant, "{job}", "Jobs waiting, by priority class and tenant.");
        meter.CreateObservableGauge("mova.queue.running", queue.RunningByTenant, "{job}", "Jobs running on workers, by tenant.");
        meter.CreateObservableGauge("mova.autoscale.queue.depth", queue.DepthByModelAndResolution, "{job}",
            "Jobs waiting per model and resolution: the autoscaler's scale-out signal.");
        meter.CreateObservableGauge("mova.autoscale.queue.oldest_wait", queue.OldestWaitByModelAndResolution, "s",
            "Age of the oldest waiting job per model and resolution: the autoscaler's latency signal.");
        meter.CreateObservableGauge("mova.worker.utilisation", workers.RecentUtilisation, "1",
            "Busy fraction of each device worker over the last minute.");
        meter.CreateObservableCounter("mova.worker.busy", workers.BusySeconds, "s",
            "Seconds each device worker spent running jobs (rate() of it is the utilisation).");
        meter.CreateObservableGauge("mova.worker.running", workers.RunningFlags, "{job}", "1 while the device worker runs a job, else 0.");
    }

    /// <summary>The queue grain's published contents (observed by the queue gauges).</summary>
    public QueueGauges Queue { get; }

    /// <summary>This silo's device workers' busy intervals.</summary>
    public WorkerUtilisation Workers { get; }

    public void RecordQueueWait(TimeSpan wait, JobPriority priority, string model) =>
        _queueWait.Record(Math.Max(0, wait.TotalSeconds), new TagList { { "priority", PriorityName(priority) }, { "model", ModelTag(model) } });

    public void RecordStep(double milliseconds, string? model, string? workerId) =>
        _stepDuration.Record(milliseconds / 1000.0, new TagList { { "model", ModelTag(model) }, { "worker", workerId ?? "" } });

    public void RecordFinished(JobStatus status, string? model) =>
        _jobsFinished.Add(1, new TagList { { "status", status.ToString().ToLowerInvariant() }, { "model", ModelTag(model) } });

    internal static string PriorityName(JobPriority priority) => priority.ToString().ToLowerInvariant();

    /// <summary>An empty model means "the cluster's default model"; the tag says so instead of being blank.</summary>
    internal static string ModelTag(string? model) => string.IsNullOrEmpty(model) ? "default" : model;
}
