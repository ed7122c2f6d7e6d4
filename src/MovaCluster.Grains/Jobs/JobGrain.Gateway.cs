using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;

namespace MovaCluster.Grains.Jobs;

/// <summary>What the gateway asks of a job beyond its life cycle: undoing a failed create, ending a wait for a worker.</summary>
internal sealed partial class JobGrain
{
    public async Task<JobSnapshot> WithdrawAsync()
    {
        switch (Job.Status)
        {
            case JobStatus.Unknown:
                break;
            case JobStatus.Queued:
                // A ticket the queue handed out meanwhile is harmless: its worker's start finds no job and gives it back.
                await Queue.RemoveAsync(JobId);
                await ForgetReferenceImageAsync();
                state.State = new JobState { LastSequence = Job.LastSequence, Attempt = Job.Attempt };
                await state.WriteStateAsync();
                LogWithdrawn(JobId, JobStatus.Queued);
                break;
            case JobStatus.Running:
                Job.Withdrawn = true;
                await CancelAsync();
                LogWithdrawn(JobId, JobStatus.Running);
                break;
            default:
                Job.Withdrawn = true;
                await state.WriteStateAsync();
                LogWithdrawn(JobId, Job.Status);
                break;
        }

        return Snapshot();
    }

    public async Task<bool> ExpireWaitAsync(string error)
    {
        // Only a job no attempt ever started; and one the queue has just handed to a worker is about to start.
        if (Job.Status != JobStatus.Queued || Job.Attempt > 0 || !await Queue.RemoveAsync(JobId))
        {
            return false;
        }

        Job.Error = error;
        Job.ErrorCode = NoWorkerAvailable;
        await FinishAsync(JobStatus.Failed, new JobFailedEvent { Error = error, Code = NoWorkerAvailable });
        LogWaitExpired(JobId, error);
        return true;
    }
}
