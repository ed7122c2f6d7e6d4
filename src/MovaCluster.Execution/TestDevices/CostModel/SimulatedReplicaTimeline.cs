using System.Diagnostics;

namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>
/// The GPUs of one simulated replica, shared by the device workers (job slots) of that replica. Each GPU keeps the
/// intervals it is booked for, in simulated seconds since the timeline started; a task takes the earliest gap that
/// fits at or after the time it is ready, so jobs in flight interleave on the stages as they would on real devices.
/// Simulated time runs <see cref="Compression"/> times faster than the wall clock.
/// </summary>
public sealed class SimulatedReplicaTimeline(int gpus, double compression)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(double Start, double End)>[] _booked = [.. Enumerable.Range(0, gpus).Select(_ => new List<(double, double)>())];
    private readonly int[] _residentExpert = new int[gpus];
    private readonly Lock _gate = new();
    private SemaphoreSlim? _highNoiseGroup;

    public double Compression => compression;

    public int Gpus => gpus;

    /// <summary>Simulated seconds since the timeline started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds * compression;

    /// <summary>Books <paramref name="seconds"/> on <paramref name="gpu"/> no earlier than <paramref name="ready"/>; returns the end.</summary>
    public double Book(int gpu, double ready, double seconds)
    {
        lock (_gate)
        {
            var intervals = _booked[gpu];
            // Bookings end in the past a second of wall time ago can no longer matter to anyone.
            var horizon = Now - compression;
            intervals.RemoveAll(i => i.End < horizon);
            var start = ready;
            foreach (var (bookedStart, bookedEnd) in intervals)
            {
                if (bookedEnd <= start)
                {
                    continue;
                }

                if (bookedStart >= start + seconds)
                {
                    break;
                }

                start = bookedEnd;
            }

            var end = start + seconds;
            var at = intervals.FindIndex(i => i.Start > start);
            intervals.Insert(at < 0 ? intervals.Count : at, (start, end));
            return end;
        }
    }

    /// <summary>
    /// For plans that swap experts through host memory: makes <paramref name="expert"/> resident on <paramref name="gpu"/>,
    /// booking the copy when another expert was there; returns when the GPU can run the expert's layers.
    /// </summary>
    public double MakeResident(int gpu, int expert, double ready, double swapSeconds)
    {
        lock (_gate)
        {
            if (_residentExpert[gpu] == expert)
            {
                return ready;
            }

            _residentExpert[gpu] = expert;
        }

        return Book(gpu, ready, swapSeconds);
    }

    /// <summary>
    /// Admission to the high-noise group of an expert-stage replica: at most <paramref name="capacity"/> jobs are in
    /// it at once (the rest wait), so the groups work on different jobs instead of convoying through
    /// both together. Dispose the result at the switch to the low-noise expert.
    /// </summary>
    public IDisposable EnterHighNoiseGroup(int capacity, CancellationToken cancellationToken)
    {
        SemaphoreSlim group;
        lock (_gate)
        {
            group = _highNoiseGroup ??= new SemaphoreSlim(capacity, capacity);
        }

        group.Wait(cancellationToken);
        return new GroupLease(group);
    }

    /// <summary>Blocks the calling thread until simulated time <paramref name="simulatedSeconds"/>, or throws when cancelled.</summary>
    public void WaitUntil(double simulatedSeconds, CancellationToken cancellationToken)
    {
        var remaining = TimeSpan.FromSeconds((simulatedSeconds - Now) / compression);
        if (remaining > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(remaining))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private sealed class GroupLease(SemaphoreSlim group) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                group.Release();
            }
        }
    }
}
