using MovaCluster.Contracts.Workers;

namespace MovaCluster.Grains.Queue;

internal sealed partial class JobQueueGrain
{
    /// <summary>Takes the job <see cref="LoraAffinity"/> chooses for <paramref name="worker"/> and wakes the free holders it leaves jobs to.</summary>
    private QueuedJob? TakeWithAffinity(WorkerDescriptor worker, Func<string, bool> mayRun)
    {
        var candidates = _scheduler.Candidates(candidate => Fits(candidate.Ticket, worker), mayRun, Settings.LoraAffinityWindow);
        var busy = _running.Values.Select(lease => lease.WorkerId).ToHashSet(StringComparer.Ordinal);
        var freeHolders = LiveWorkers()
            .Where(other => other.WorkerId != worker.WorkerId && other.HeldLoras.Count > 0 && !busy.Contains(other.WorkerId))
            .OrderBy(other => other.WorkerId, StringComparer.Ordinal)
            .ToList();
        var choice = LoraAffinity.Choose(candidates, worker, freeHolders, Fits, Settings.LoraAffinityMaxSkips);
        foreach (var holder in choice.WakeHolders)
        {
            if (_waiting.Remove(holder))
            {
                GrainFactory.GetGrain<IWorkerGrain>(holder).WakeAsync().Ignore();
            }
        }

        if (choice.Job is { } job)
        {
            _scheduler.Take(job);
        }

        return choice.Job;
    }
}
