using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Which of the next jobs in fair order a worker takes, so that a job runs where its LoRA adapters are already bound
/// (a load costs about a step; an unmerged set on a worker that keeps it merges after a few jobs). Walking the
/// candidates in order, the worker takes the first that is due (passed over the maximum number of times), or warm
/// for it (it holds all the job's adapters). A job before that is passed over only when the worker has a warm job
/// further down, or when a free worker that holds the job's adapters will take it; otherwise the worker takes it,
/// so no worker idles while it could run something nobody else is better placed for. Every pass-over counts, so a
/// job waits at most the maximum number of dispatches beyond its fair turn.
/// </summary>
internal static class LoraAffinity
{
    /// <param name="candidates">The next jobs in fair order that fit <paramref name="worker"/>.</param>
    /// <param name="worker">The worker asking for work.</param>
    /// <param name="freeHolders">Other live workers without a job that hold adapters.</param>
    /// <param name="fits">Whether a job can run on a worker at all.</param>
    /// <param name="maxSkips">Times a job may be passed over before it must be taken.</param>
    public static LoraAffinityChoice Choose(
        IReadOnlyList<QueuedJob> candidates,
        WorkerDescriptor worker,
        IReadOnlyList<WorkerDescriptor> freeHolders,
        Func<JobTicket, WorkerDescriptor, bool> fits,
        int maxSkips)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(freeHolders);
        ArgumentNullException.ThrowIfNull(fits);
        var claims = new Dictionary<QueuedJob, string>(ReferenceEqualityComparer.Instance);
        foreach (var holder in freeHolders)
        {
            if (candidates.FirstOrDefault(job => !claims.ContainsKey(job) && IsWarm(job.Ticket, holder) && fits(job.Ticket, holder)) is { } claimed)
            {
                claims[claimed] = holder.WorkerId;
            }
        }

        var warmAt = -1;
        for (var i = 0; i < candidates.Count && warmAt < 0; i++)
        {
            warmAt = IsWarm(candidates[i].Ticket, worker) ? i : -1;
        }

        var passedOver = new List<QueuedJob>();
        QueuedJob? chosen = null;
        for (var i = 0; i < candidates.Count && chosen is null; i++)
        {
            var job = candidates[i];
            var due = job.AffinitySkips >= maxSkips;
            var warmFurtherDown = warmAt > i;
            if (due || i == warmAt || (!warmFurtherDown && !claims.ContainsKey(job)))
            {
                chosen = job;
            }
            else
            {
                passedOver.Add(job);
            }
        }

        foreach (var job in passedOver)
        {
            job.AffinitySkips++;
        }

        var wake = claims.Where(claim => passedOver.Contains(claim.Key)).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).ToList();
        return new LoraAffinityChoice(chosen, wake);
    }

    /// <summary>True when the job names adapters and the worker holds every one.</summary>
    public static bool IsWarm(JobTicket ticket, WorkerDescriptor worker) =>
        ticket.LoraDigests.Count > 0 && ticket.LoraDigests.All(digest => worker.HeldLoras.Contains(digest, StringComparer.Ordinal));
}
