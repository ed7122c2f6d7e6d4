using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Which of the next jobs in fair order a worker takes, so that a job runs where its LoRA adapters are already bound
/// (a load costs about a step; an unmerged set on a worker that keeps it merges after a few jobs). Walking the
/// candidates in order, the worker takes the first that is due (passed over the maximum number of times), or its
/// preferred one: the first hot job (the set it ran last, which it may still hold merged), else the first warm one
/// (it holds all the job's adapters). A job before that is passed over only when the worker has a warm job
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
            var unclaimed = candidates.Where(job => !claims.ContainsKey(job) && fits(job.Ticket, holder)).ToList();
            if (PreferredIndex(unclaimed, holder) is var index and >= 0)
            {
                claims[unclaimed[index]] = holder.WorkerId;
            }
        }

        var warmAt = PreferredIndex(candidates, worker);

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

    /// <summary>
    /// The first candidate whose set the worker ran last (it may still be merged: no restore, no merge), else the first
    /// whose adapters it holds (no load); -1 when there is neither.
    /// </summary>
    private static int PreferredIndex(IReadOnlyList<QueuedJob> candidates, WorkerDescriptor worker)
    {
        var warm = -1;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (IsHot(candidates[i].Ticket, worker))
            {
                return i;
            }

            warm = warm < 0 && IsWarm(candidates[i].Ticket, worker) ? i : warm;
        }

        return warm;
    }

    /// <summary>True when the job's adapters are the ones the worker used most recently (its last job's set).</summary>
    public static bool IsHot(JobTicket ticket, WorkerDescriptor worker)
    {
        var count = ticket.LoraDigests.Count;
        return count > 0 && worker.HeldLoras.Count >= count
            && worker.HeldLoras.Take(count).Order(StringComparer.Ordinal).SequenceEqual(ticket.LoraDigests.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>True when the job names adapters and the worker holds every one.</summary>
    public static bool IsWarm(JobTicket ticket, WorkerDescriptor worker) =>
        ticket.LoraDigests.Count > 0 && ticket.LoraDigests.All(digest => worker.HeldLoras.Contains(digest, StringComparer.Ordinal));
}
