using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Orders queued jobs: strict priority classes, and inside a class weighted fair sharing between tenants by
/// virtual time (stride scheduling). Each dispatch advances the tenant's pass by 1 / weight, and the tenant with
/// the lowest pass goes next, so a tenant with weight 2 gets twice the dispatches of one with weight 1 while both
/// wait, and a burst from one tenant cannot starve another. A tenant that was idle re-enters at the current
/// virtual clock, so idling does not bank credit. Within a tenant, jobs go in arrival order.
/// </summary>
internal sealed class FairShareScheduler(Func<string, double> weightOf)
{
    private static readonly JobPriority[] Classes = [JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch];
    private static readonly IComparer<QueuedJob> ByOrder = Comparer<QueuedJob>.Create((a, b) => a.Order.CompareTo(b.Order));

    private readonly Dictionary<string, QueuedJob> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(JobPriority Priority, string Tenant), SortedSet<QueuedJob>> _buckets = [];
    private readonly Dictionary<string, int> _queuedPerTenant = new(StringComparer.Ordinal);

    public Dictionary<string, double> Pass { get; private set; } = new(StringComparer.Ordinal);

    public double VirtualClock { get; private set; }

    public int Count => _byId.Count;

    public IEnumerable<QueuedJob> Jobs => _byId.Values;

    public void Restore(IEnumerable<QueuedJob> jobs, Dictionary<string, double> pass, double clock)
    {
        Pass = new Dictionary<string, double>(pass, StringComparer.Ordinal);
        VirtualClock = clock;
        foreach (var job in jobs)
        {
            Insert(job);
        }
    }

    public bool Contains(string jobId) => _byId.ContainsKey(jobId);

    public int QueuedFor(string tenant) => _queuedPerTenant.GetValueOrDefault(tenant);

    public void Add(QueuedJob job)
    {
        var tenant = job.Ticket.TenantId;
        if (QueuedFor(tenant) == 0)
        {
            Pass[tenant] = Math.Max(Pass.GetValueOrDefault(tenant), VirtualClock);
        }

        Insert(job);
    }

    public bool Remove(string jobId)
    {
        if (!_byId.Remove(jobId, out var job))
        {
            return false;
        }

        var key = (job.Ticket.Priority, job.Ticket.TenantId);
        var bucket = _buckets[key];
        bucket.Remove(job);
        if (bucket.Count == 0)
        {
            _buckets.Remove(key);
        }

        _queuedPerTenant[job.Ticket.TenantId]--;
        return true;
    }

    /// <summary>Takes the next job that <paramref name="fits"/> from a tenant that <paramref name="mayRun"/>, or null.</summary>
    public QueuedJob? TryDequeue(Func<QueuedJob, bool> fits, Func<string, bool> mayRun)
    {
        foreach (var priority in Classes)
        {
            var tenants = _buckets.Keys
                .Where(key => key.Priority == priority && mayRun(key.Tenant))
                .Select(key => key.Tenant)
                .OrderBy(tenant => Pass.GetValueOrDefault(tenant))
                .ThenBy(tenant => tenant, StringComparer.Ordinal);
            foreach (var tenant in tenants)
            {
                var job = _buckets[(priority, tenant)].FirstOrDefault(fits);
                if (job is null)
                {
                    continue;
                }

                Remove(job.Ticket.JobId);
                var pass = Pass.GetValueOrDefault(tenant);
                VirtualClock = Math.Max(VirtualClock, pass);
                Pass[tenant] = pass + (1.0 / weightOf(tenant));
                return job;
            }
        }

        return null;
    }

    /// <summary>
    /// How many jobs go before <paramref name="jobId"/> if nothing else arrives, and their total steps, found by
    /// replaying the dispatch order on a copy of the tenants' passes (dispatches in higher classes advance a
    /// tenant's pass too). Null when the job is not queued.
    /// </summary>
    public (int Position, long StepsAhead)? PositionOf(string jobId)
    {
        if (!_byId.TryGetValue(jobId, out var target))
        {
            return null;
        }

        var position = 0;
        var stepsAhead = 0L;
        var pass = new Dictionary<string, double>(Pass, StringComparer.Ordinal);
        foreach (var priority in Classes)
        {
            var cursors = _buckets
                .Where(pair => pair.Key.Priority == priority)
                .ToDictionary(pair => pair.Key.Tenant, pair => (IEnumerator<QueuedJob>)pair.Value.GetEnumerator(), StringComparer.Ordinal);
            if (priority < target.Ticket.Priority)
            {
                foreach (var cursor in cursors.Values)
                {
                    while (cursor.MoveNext())
                    {
                        position++;
                        stepsAhead += cursor.Current.Ticket.Steps;
                        var tenant = cursor.Current.Ticket.TenantId;
                        pass[tenant] = pass.GetValueOrDefault(tenant) + (1.0 / weightOf(tenant));
                    }
                }

                continue;
            }

            foreach (var tenant in cursors.Keys)
            {
                pass[tenant] = pass.GetValueOrDefault(tenant);
            }

            var live = cursors.Where(pair => pair.Value.MoveNext()).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
            while (live.Count > 0)
            {
                var tenant = live.OrderBy(t => pass[t]).ThenBy(t => t, StringComparer.Ordinal).First();
                var next = cursors[tenant].Current;
                if (next.Ticket.JobId == jobId)
                {
                    return (position, stepsAhead);
                }

                position++;
                stepsAhead += next.Ticket.Steps;
                pass[tenant] += 1.0 / weightOf(tenant);
                if (!cursors[tenant].MoveNext())
                {
                    live.Remove(tenant);
                }
            }
        }

        return (position, stepsAhead);
    }

    private void Insert(QueuedJob job)
    {
        _byId[job.Ticket.JobId] = job;
        var key = (job.Ticket.Priority, job.Ticket.TenantId);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new SortedSet<QueuedJob>(ByOrder);
            _buckets[key] = bucket;
        }

        bucket.Add(job);
        _queuedPerTenant[job.Ticket.TenantId] = QueuedFor(job.Ticket.TenantId) + 1;
    }
}
