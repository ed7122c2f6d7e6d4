using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>Operator views and actions on the queue (dashboard), and the queue's gauges.</summary>
internal sealed partial class JobQueueGrain
{
    /// <summary>Exact places in line are replayed for at most this many waiting jobs per listing (each costs a pass over the queue).</summary>
    private const int PositionedEntries = 200;

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

    private void PublishGauges() =>
        metrics.Queue.Publish(_scheduler.Jobs.Select(job => job.Ticket), _running.Values.Select(lease => lease.Job.Ticket));
}
