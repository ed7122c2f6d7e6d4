using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>Operator views and actions on the queue (dashboard), and the queue's gauges.</summary>
internal sealed partial class JobQueueGrain
{
    /// <summary>Exact places in line are replayed for at most this many waiting jobs per listing (each costs a pass over the queue).</summary>
    private const int PositionedEntries = 200;

    /// <summary>The gauges' copy of the queue is at most this old.</summary>
    private static readonly TimeSpan GaugeRefreshInterval = TimeSpan.FromMilliseconds(250);

    private IGrainTimer? _gaugeRefresh;
    private DateTimeOffset _gaugesPublishedAt;
    private bool _gaugesStale;

    public async Task<bool> ReprioritizeAsync(string jobId, JobPriority priority)
    {
        var job = _scheduler.Jobs.FirstOrDefault(queued => queued.Ticket.JobId == jobId);
        if (job is null)
        {
            return false;
        }

        if (job.Ticket.Priority != priority)
        {
            _scheduler.Remove(jobId);
            AddToQueue(job with { Ticket = job.Ticket with { Priority = priority } });
            await _commit.CommitAsync();
        }

        return true;
    }

    public Task<IReadOnlyList<QueueEntry>> ListJobsAsync()
    {
        var waiting = _scheduler.Jobs
            .OrderBy(job => job.Ticket.Priority)
            .ThenBy(job => job.Order)
            .Select((job, index) => new QueueEntry
            {
                Ticket = job.Ticket,
                Attempt = job.Attempts,
                Position = index < PositionedEntries ? _scheduler.PositionOf(job.Ticket.JobId)?.Position : null,
            })
            .OrderBy(entry => entry.Position ?? int.MaxValue);
        var running = _running.Values
            .OrderBy(lease => lease.Job.Order)
            .Select(lease => new QueueEntry { Ticket = lease.Job.Ticket, Running = true, WorkerId = lease.WorkerId, Attempt = lease.Attempt });
        return Task.FromResult<IReadOnlyList<QueueEntry>>([.. running, .. waiting]);
    }

    /// <summary>
    /// Copies the queue for the gauges now if the last copy is older than <see cref="GaugeRefreshInterval"/>, else
    /// once that interval is up: a copy is a pass over every waiting job, too much for every commit round of a busy
    /// queue, and scrapes come seconds apart.
    /// </summary>
    private void RefreshGauges()
    {
        var wait = _gaugesPublishedAt + GaugeRefreshInterval - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            PublishGauges();
        }
        else if (!_gaugesStale)
        {
            _gaugesStale = true;
            _gaugeRefresh!.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private Task PublishStaleGaugesAsync()
    {
        if (_gaugesStale)
        {
            PublishGauges();
        }

        return Task.CompletedTask;
    }

    private void PublishGauges()
    {
        metrics.Queue.Publish(_scheduler.Jobs.Select(job => job.Ticket), _running.Values.Select(lease => lease.Job.Ticket));
        _gaugesPublishedAt = time.GetUtcNow();
        _gaugesStale = false;
    }
}
