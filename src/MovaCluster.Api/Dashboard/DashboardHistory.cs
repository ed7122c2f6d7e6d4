using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Dashboard.Model;

namespace MovaCluster.Api.Dashboard;

/// <summary>
/// Hourly outcomes, queue waits and step times of the jobs this gateway saw, for the dashboard's charts.
/// In memory and per gateway: a restarted gateway starts with empty charts (Prometheus keeps the long history).
/// </summary>
public sealed class DashboardHistory(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<DateTimeOffset, Bucket> _hours = [];
    private readonly Dictionary<string, DateTimeOffset> _waitCounted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _finishCounted = new(StringComparer.Ordinal);

    /// <summary>Counts the queue wait of a job that has started (once per job).</summary>
    public void RecordStarted(JobSnapshot job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job is not { StartedAt: { } started, CreatedAt: { } created })
        {
            return;
        }

        lock (_gate)
        {
            if (_waitCounted.TryAdd(job.JobId, started))
            {
                BucketOf(started).Waits.Add((started - created).TotalSeconds);
            }
        }
    }

    /// <summary>Counts a job that reached a terminal state (once per job), with its wait if not yet counted.</summary>
    public void RecordFinished(JobSnapshot job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.FinishedAt is not { } finished || job.Status is not (JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled))
        {
            return;
        }

        RecordStarted(job);
        lock (_gate)
        {
            if (!_finishCounted.TryAdd(job.JobId, finished))
            {
                return;
            }

            var bucket = BucketOf(finished);
            switch (job.Status)
            {
                case JobStatus.Completed:
                    bucket.Completed++;
                    break;
                case JobStatus.Failed:
                    bucket.Failed++;
                    break;
                default:
                    bucket.Cancelled++;
                    break;
            }

            if (job.MillisecondsPerStep is { } ms && job.CompletedSteps > 0)
            {
                bucket.StepSeconds.Add(ms / 1000.0);
            }
        }
    }

    /// <summary>The last <paramref name="hours"/> clock hours, oldest first, the current one last.</summary>
    public IReadOnlyList<HourlyStats> Hours(int hours)
    {
        var current = HourOf(time.GetUtcNow());
        var result = new List<HourlyStats>(hours);
        lock (_gate)
        {
            var cutoff = current.AddHours(-hours);
            foreach (var stale in _hours.Keys.Where(hour => hour <= cutoff).ToList())
            {
                _hours.Remove(stale);
            }

            Forget(_waitCounted, cutoff);
            Forget(_finishCounted, cutoff);

            for (var i = hours - 1; i >= 0; i--)
            {
                var hour = current.AddHours(-i);
                var bucket = _hours.GetValueOrDefault(hour);
                result.Add(new HourlyStats
                {
                    Hour = hour,
                    Completed = bucket?.Completed ?? 0,
                    Failed = bucket?.Failed ?? 0,
                    Cancelled = bucket?.Cancelled ?? 0,
                    WaitP50Seconds = Percentile(bucket?.Waits, 0.50),
                    WaitP95Seconds = Percentile(bucket?.Waits, 0.95),
                    SecondsPerStep = bucket is { StepSeconds.Count: > 0 } ? bucket.StepSeconds.Average() : null,
                });
            }
        }

        return result;
    }

    /// <summary>Nearest-rank percentile; null without samples.</summary>
    internal static double? Percentile(IReadOnlyCollection<double>? samples, double fraction)
    {
        if (samples is null || samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static void Forget(Dictionary<string, DateTimeOffset> counted, DateTimeOffset cutoff)
    {
        foreach (var id in counted.Where(pair => pair.Value < cutoff).Select(pair => pair.Key).ToList())
        {
            counted.Remove(id);
        }
    }

    private Bucket BucketOf(DateTimeOffset at)
    {
        var hour = HourOf(at);
        if (!_hours.TryGetValue(hour, out var bucket))
        {
            bucket = new Bucket();
            _hours[hour] = bucket;
        }

        return bucket;
    }

    private static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private sealed class Bucket
    {
        public int Completed { get; set; }

        public int Failed { get; set; }

        public int Cancelled { get; set; }

        public List<double> Waits { get; } = [];

        public List<double> StepSeconds { get; } = [];
    }
}
