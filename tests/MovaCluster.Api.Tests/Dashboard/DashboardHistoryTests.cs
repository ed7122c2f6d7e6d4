using Microsoft.Extensions.Time.Testing;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Dashboard;

namespace MovaCluster.Api.Tests.Dashboard;

public sealed class DashboardHistoryTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Finished_jobs_land_in_their_hour_with_wait_percentiles_and_step_time_counted_once()
    {
        var clock = new FakeTimeProvider(Noon.AddMinutes(90));
        var history = new DashboardHistory(clock);
        for (var i = 1; i <= 20; i++)
        {
            var job = Finished($"job-{i}", waitSeconds: i, finishedAt: Noon.AddMinutes(10 + i), JobStatus.Completed, msPerStep: 500);
            history.RecordStarted(job);
            history.RecordFinished(job);
            history.RecordFinished(job);
        }

        history.RecordFinished(Finished("failed", waitSeconds: 1, finishedAt: Noon.AddMinutes(70), JobStatus.Failed, msPerStep: 1500));

        var hours = history.Hours(3);
        Assert.Equal([Noon.AddHours(-1), Noon, Noon.AddHours(1)], hours.Select(h => h.Hour));
        Assert.Equal(20, hours[1].Completed);
        Assert.Equal(10, hours[1].WaitP50Seconds);
        Assert.Equal(19, hours[1].WaitP95Seconds);
        Assert.Equal(0.5, hours[1].SecondsPerStep);
        Assert.Equal(1, hours[2].Failed);
        Assert.Equal(1.5, hours[2].SecondsPerStep);
        Assert.Equal(0, hours[0].Completed);
        Assert.Null(hours[0].WaitP50Seconds);
    }

    [Fact]
    public void Hours_older_than_the_window_are_dropped()
    {
        var clock = new FakeTimeProvider(Noon);
        var history = new DashboardHistory(clock);
        history.RecordFinished(Finished("old", 3, Noon.AddMinutes(5), JobStatus.Cancelled, msPerStep: null));
        clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(1, history.Hours(6).Sum(hour => hour.Cancelled));

        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, history.Hours(6).Sum(hour => hour.Cancelled));
    }

    private static JobSnapshot Finished(string id, double waitSeconds, DateTimeOffset finishedAt, JobStatus status, double? msPerStep) => new()
    {
        JobId = id,
        Status = status,
        CreatedAt = finishedAt.AddMinutes(-5),
        StartedAt = finishedAt.AddMinutes(-5).AddSeconds(waitSeconds),
        FinishedAt = finishedAt,
        CompletedSteps = msPerStep is null ? 0 : 10,
        TotalSteps = 10,
        MillisecondsPerStep = msPerStep,
    };
}
