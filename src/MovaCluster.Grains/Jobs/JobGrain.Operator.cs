using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Jobs;

/// <summary>Operator actions on a job (dashboard).</summary>
internal sealed partial class JobGrain
{
    public Task<JobSnapshot> ReprioritizeAsync(JobPriority priority) => TransitionAsync(async () =>
    {
        if (Job.Status == JobStatus.Queued && Job.Priority != priority && await Queue.ReprioritizeAsync(JobId, priority))
        {
            Job.Priority = priority;
            await WriteAsync();
        }

        return await GetAsync();
    });
}
