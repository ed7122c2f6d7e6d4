using Microsoft.Extensions.Time.Testing;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Telemetry;

namespace MovaCluster.Grains.Tests.Telemetry;

public sealed class WorkerUtilisationTests
{
    private static readonly WorkerDescriptor Worker = new()
    {
        WorkerId = "silo-a/cpu", SiloName = "silo-a", SiloAddress = "127.0.0.1:1@1", Device = "cpu", ModelName = "m",
    };

    [Fact]
    public void The_timeline_has_thirty_twenty_second_buckets_with_the_busy_fraction_of_each()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var utilisation = new WorkerUtilisation(clock);
        utilisation.MarkBusy(Worker);
        clock.Advance(TimeSpan.FromSeconds(30));
        utilisation.MarkIdle(Worker);
        clock.Advance(TimeSpan.FromSeconds(20));
        utilisation.MarkBusy(Worker);
        clock.Advance(TimeSpan.FromSeconds(10));

        var timeline = utilisation.Timeline(Worker.WorkerId);

        Assert.Equal(30, timeline.Count);
        // Now is t=60 s: the last three buckets cover [0,20), [20,40), [40,60): busy 20, 10 and 10 seconds.
        Assert.Equal([1.0, 0.5, 0.5], timeline.TakeLast(3).Select(f => Math.Round(f, 6)));
        Assert.All(timeline.Take(27), fraction => Assert.Equal(0, fraction));
        Assert.All(utilisation.Timeline("someone-else"), fraction => Assert.Equal(0, fraction));
    }

    [Fact]
    public void Intervals_older_than_ten_minutes_leave_the_timeline()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var utilisation = new WorkerUtilisation(clock);
        utilisation.MarkBusy(Worker);
        clock.Advance(TimeSpan.FromMinutes(1));
        utilisation.MarkIdle(Worker);
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.All(utilisation.Timeline(Worker.WorkerId), fraction => Assert.Equal(0, fraction));
    }
}
