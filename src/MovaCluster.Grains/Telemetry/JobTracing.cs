using System.Diagnostics;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Grains.Telemetry;

/// <summary>
/// Spans of the runtime on the "MovaCluster" activity source. A worker's run of a job is started as a child of the
/// submission's trace context (carried by the ticket), so one trace follows a job from the HTTP request through the
/// job and queue grains to the device worker, even though the worker picks the job up later from the queue.
/// </summary>
public static class JobTracing
{
    /// <summary>Activity source name, equal to MovaCluster.ServiceDefaults' MovaTelemetry.ActivitySourceName.</summary>
    public const string SourceName = "MovaCluster";

    /// <summary>Name of the span of one worker attempt.</summary>
    public const string RunActivityName = "mova.job.run";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The traceparent to carry with a job: the current span's W3C id, if a trace is being recorded.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts the span of a worker's attempt (null when nobody listens).</summary>
    public static Activity? StartRun(WorkAssignment assignment, WorkerDescriptor worker)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(worker);
        ActivityContext.TryParse(assignment.TraceParent, null, out var parent);
        var activity = Source.StartActivity(RunActivityName, ActivityKind.Consumer, parent);
        activity?.SetTag("mova.job.id", assignment.JobId);
        activity?.SetTag("mova.job.attempt", assignment.Attempt);
        activity?.SetTag("mova.tenant.id", assignment.TenantId);
        activity?.SetTag("mova.worker.id", worker.WorkerId);
        activity?.SetTag("mova.worker.device", worker.Device);
        return activity;
    }
}
