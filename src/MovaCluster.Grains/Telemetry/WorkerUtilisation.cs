using System.Diagnostics.Metrics;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Grains.Telemetry;

/// <summary>
/// Busy intervals of this silo's device workers over the last <see cref="Window"/>: the source of the utilisation
/// timeline on the dashboard and of the utilisation metrics. Thread-safe; the worker grains mark start and end.
/// </summary>
public sealed class WorkerUtilisation(TimeProvider time)
{
    /// <summary>How far back the timeline reaches.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Length of one timeline bucket (30 buckets over the window).</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Track> _workers = new(StringComparer.Ordinal);

    public void MarkBusy(WorkerDescriptor worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        lock (_gate)
        {
            var track = TrackOf(worker);
            track.BusySince ??= time.GetUtcNow();
        }
    }

    public void MarkIdle(WorkerDescriptor worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        lock (_gate)
        {
            var track = TrackOf(worker);
            if (track.BusySince is { } since)
            {
                var now = time.GetUtcNow();
                track.Intervals.Add((since, now));
                track.ClosedBusy += now - since;
                track.BusySince = null;
                track.Intervals.RemoveAll(interval => interval.End < now - Window);
            }
        }
    }

    /// <summary>Busy fraction per <see cref="Bucket"/> over the last <see cref="Window"/>, oldest first.</summary>
    public IReadOnlyList<double> Timeline(string workerId)
    {
        var now = time.GetUtcNow();
        var buckets = (int)(Window / Bucket);
        var result = new double[buckets];
        lock (_gate)
        {
            if (!_workers.TryGetValue(workerId, out var track))
            {
                return result;
            }

            var start = now - Window;
            for (var i = 0; i < buckets; i++)
            {
                var from = start + (Bucket * i);
                result[i] = Math.Clamp(BusyBetween(track, from, from + Bucket, now) / Bucket, 0, 1);
            }
        }

        return result;
    }

    internal IEnumerable<Measurement<double>> RecentUtilisation()
    {
        var now = time.GetUtcNow();
        var minute = TimeSpan.FromMinutes(1);
        lock (_gate)
        {
            return [.. _workers.Values.Select(track => new Measurement<double>(
                Math.Clamp(BusyBetween(track, now - minute, now, now) / minute, 0, 1), track.Tags))];
        }
    }

    internal IEnumerable<Measurement<double>> BusySeconds()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return [.. _workers.Values.Select(track => new Measurement<double>(
                (track.ClosedBusy + (track.BusySince is { } since ? now - since : TimeSpan.Zero)).TotalSeconds, track.Tags))];
        }
    }

    internal IEnumerable<Measurement<int>> RunningFlags()
    {
        lock (_gate)
        {
            return [.. _workers.Values.Select(track => new Measurement<int>(track.BusySince is null ? 0 : 1, track.Tags))];
        }
    }

    private static TimeSpan BusyBetween(Track track, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var busy = TimeSpan.Zero;
        foreach (var (start, end) in track.Intervals)
        {
            busy += Overlap(start, end, from, to);
        }

        if (track.BusySince is { } since)
        {
            busy += Overlap(since, now, from, to);
        }

        return busy;
    }

    private static TimeSpan Overlap(DateTimeOffset start, DateTimeOffset end, DateTimeOffset from, DateTimeOffset to)
    {
        var overlap = (end < to ? end : to) - (start > from ? start : from);
        return overlap > TimeSpan.Zero ? overlap : TimeSpan.Zero;
    }

    private Track TrackOf(WorkerDescriptor worker)
    {
        if (!_workers.TryGetValue(worker.WorkerId, out var track))
        {
            track = new Track([new("worker", worker.WorkerId), new("device", worker.Device), new("silo", worker.SiloName)]);
            _workers[worker.WorkerId] = track;
        }

        return track;
    }

    private sealed class Track(KeyValuePair<string, object?>[] tags)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = tags;

        public List<(DateTimeOffset Start, DateTimeOffset End)> Intervals { get; } = [];

        public DateTimeOffset? BusySince { get; set; }

        public TimeSpan ClosedBusy { get; set; }
    }
}
