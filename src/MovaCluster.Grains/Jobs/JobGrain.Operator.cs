using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Jobs;

/// <summary>Operator actions on a job (dashboard).</summary>
internal sealed partial class JobGrain
{
    public async Task<JobSnapshot> ReprioritizeAsync(JobPriority priority)
    {
        if (Job.Status == JobStatus.Queued && Job.Priority != priority && await Queue.ReprioritizeAsync(JobId, priority))
        {
            Job.Priority = priority;
            await state.WriteStateAsync();
        }

        return await GetAsync();
    }
}
