using System.Diagnostics;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>Median wall time of repeated runs, after one warm-up run.</summary>
internal static class Timing
{
    public static async Task<TimeSpan> MedianAsync(int runs, Func<Task> action)
    {
        await action();
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    public static TimeSpan Median(int runs, Action action) => MedianAsync(runs, () =>
    {
        action();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();
}
