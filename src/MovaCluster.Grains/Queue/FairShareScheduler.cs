using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Orders queued jobs: strict priority classes, and inside a class weighted fair sharing between tenants by
/// virtual time (stride scheduling). Each dispatch advances the tenant's pass by 1 / weight, and the tenant with
/// the lowest pass goes next, so a tenant with weight 2 gets twice the dispatches of one with weight 1 while both
/// wait, and a burst from one tenant cannot starve another. A tenant that was idle re-enters at the current
/// virtual clock, so idling does not bank credit. Within a tenant, jobs go in arrival order. Each job also has a
/// work figure (<c>workOf</c>, its step count unless given, the queue's predicted run time in ms), summed per line
/// so a position also says how much work waits ahead.
/// </summary>
internal sealed class FairShareScheduler(Func<string, double> weightOf, Func<JobTicket, double>? workOf = null)
{
    private static readonly JobPriority[] Classes = [JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch];
    private static readonly IComparer<QueuedJob> ByOrder = Comparer<QueuedJob>.Create((a, b) => a.Order.CompareTo(b.Order));

    private readonly Dictionary<string, QueuedJob> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(JobPriority Priority, string Tenant), SortedSet<QueuedJob>> _buckets = [];
    private readonly Dictionary<(JobPriority Priority, string Tenant), double> _bucketWork = [];
    private readonly Dictionary<string, double> _work = new(StringComparer.Ordinal);
    private readonly Func<JobTicket, double> _workOf = workOf ?? (ticket => ticket.Steps);
    private readonly Dictionary<string, int> _queuedPerTenant = new(StringComparer.Ordinal);

    public Dictionary<string, double> Pass { get; private set; } = new(StringComparer.Ordinal);

    public double VirtualClock { get; private set; }

    public int Count => _byId.Count;

    /// <summary>Queued jobs that name LoRA adapters (affinity only matters while there are some).</summary>
    public int JobsWithLoras { get; private set; }

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

    public QueuedJob? Find(string jobId) => _byId.GetValueOrDefault(jobId);

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
        _work.Remove(jobId, out var work);
        _bucketWork[key] -= work;
        if (bucket.Count == 0)
        {
            _buckets.Remove(key);
            _bucketWork.Remove(key);
        }

        _queuedPerTenant[job.Ticket.TenantId]--;
        JobsWithLoras -= job.Ticket.LoraDigests.Count > 0 ? 1 : 0;
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

    /// <summary>Works out every queued job's work again (the figures it rests on changed).</summary>
    public void Reprice()
    {
        _bucketWork.Clear();
        foreach (var (jobId, job) in _byId)
        {
            var work = _workOf(job.Ticket);
            _work[jobId] = work;
            var key = (job.Ticket.Priority, job.Ticket.TenantId);
            _bucketWork[key] = _bucketWork.GetValueOrDefault(key) + work;
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> queued jobs that <paramref name="fits"/>, in the order dispatches would take them
    /// if nothing else arrived: classes in order, and within a class the tenants' lines merged by pass as
    /// <see cref="TryDequeue"/> takes them (the first candidate is the job it would take).
    /// </summary>
    public IReadOnlyList<QueuedJob> Candidates(Func<QueuedJob, bool> fits, Func<string, bool> mayRun, int limit)
    {
        var candidates = new List<QueuedJob>();
        var pass = new Dictionary<string, double>(Pass, StringComparer.Ordinal);
        foreach (var priority in Classes)
        {
            var lanes = _buckets
                .Where(pair => pair.Key.Priority == priority && mayRun(pair.Key.Tenant))
                .Select(pair => new FittingLane(pair.Key.Tenant, pair.Value.Where(fits).GetEnumerator(), pass.GetValueOrDefault(pair.Key.Tenant), 1.0 / weightOf(pair.Key.Tenant)))
                .Where(lane => lane.Current is not null)
                .ToList();
            while (candidates.Count < limit && lanes.Count > 0)
            {
                var next = lanes[0];
                foreach (var lane in lanes)
                {
                    if (lane.Pass < next.Pass || (lane.Pass == next.Pass && string.CompareOrdinal(lane.Tenant, next.Tenant) < 0))
                    {
                        next = lane;
                    }
                }

                candidates.Add(next.Current!);
                next.Pass += next.Stride;
                pass[next.Tenant] = next.Pass;
                if (!next.MoveNext())
                {
                    lanes.Remove(next);
                }
            }

            lanes.ForEach(lane => lane.Dispose());
        }

        return candidates;
    }

    /// <summary>Takes a queued job chosen from <see cref="Candidates"/>, advancing its tenant's pass as a dispatch does.</summary>
    public void Take(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var tenant = job.Ticket.TenantId;
        if (!Remove(job.Ticket.JobId))
        {
            throw new InvalidOperationException($"Job {job.Ticket.JobId} is not queued.");
        }

        var pass = Pass.GetValueOrDefault(tenant);
        VirtualClock = Math.Max(VirtualClock, pass);
        Pass[tenant] = pass + (1.0 / weightOf(tenant));
    }

    /// <summary>
    /// How many jobs go before <paramref name="jobId"/> if nothing else arrives, and their total work, found by
    /// replaying the dispatch order on copies of the tenants' passes (dispatches in higher classes advance a
    /// tenant's pass too). Null when the job is not queued.
    /// </summary>
    public (int Position, double WorkAhead)? PositionOf(string jobId)
    {
        if (!_byId.TryGetValue(jobId, out var target))
        {
            return null;
        }

        var position = 0;
        var workAhead = 0.0;
        var pass = new Dictionary<string, double>(Pass, StringComparer.Ordinal);
        foreach (var (key, bucket) in _buckets.Where(pair => pair.Key.Priority < target.Ticket.Priority))
        {
            position += bucket.Count;
            workAhead += _bucketWork[key];
            var tenantPass = pass.GetValueOrDefault(key.Tenant);
            var stride = 1.0 / weightOf(key.Tenant);
            for (var i = 0; i < bucket.Count; i++)
            {
                // Repeated addition, exactly as dispatching does it, so ties break the same way.
                tenantPass += stride;
            }

            pass[key.Tenant] = tenantPass;
        }

        var targetKey = (target.Ticket.Priority, target.Ticket.TenantId);
        if (_buckets.Keys.Count(key => key.Priority == target.Ticket.Priority) == 1)
        {
            // One tenant in the class: its jobs go in arrival order whatever the passes, so no replay is needed; a
            // job that just arrived (the usual question) is answered from the running totals.
            return ReferenceEquals(_buckets[targetKey].Max, target)
                ? (position + _buckets[targetKey].Count - 1, workAhead + _bucketWork[targetKey] - _work[jobId])
                : InArrivalOrder(_buckets[targetKey], target, position, workAhead);
        }

        var lanes = _buckets.Where(pair => pair.Key.Priority == target.Ticket.Priority)
            .Select(pair => new Lane(pair.Key.Tenant, pair.Value.ToArray(), pass.GetValueOrDefault(pair.Key.Tenant), 1.0 / weightOf(pair.Key.Tenant)))
            .ToArray();
        while (true)
        {
            Lane? next = null;
            foreach (var lane in lanes)
            {
                if (lane.Index < lane.Jobs.Length
                    && (next is null || lane.Pass < next.Pass || (lane.Pass == next.Pass && string.CompareOrdinal(lane.Tenant, next.Tenant) < 0)))
                {
                    next = lane;
                }
            }

            var job = next!.Jobs[next.Index];
            if (ReferenceEquals(job, target))
            {
                return (position, workAhead);
            }

            position++;
            workAhead += _work[job.Ticket.JobId];
            next.Index++;
            next.Pass += next.Stride;
        }
    }

    private (int Position, double WorkAhead) InArrivalOrder(SortedSet<QueuedJob> bucket, QueuedJob target, int position, double workAhead)
    {
        foreach (var job in bucket)
        {
            if (ReferenceEquals(job, target))
            {
                break;
            }

            position++;
            workAhead += _work[job.Ticket.JobId];
        }

        return (position, workAhead);
    }

    /// <summary>One tenant's line in the position replay.</summary>
    private sealed class Lane(string tenant, QueuedJob[] jobs, double pass, double stride)
    {
        public string Tenant { get; } = tenant;

        public QueuedJob[] Jobs { get; } = jobs;

        public double Stride { get; } = stride;

        public double Pass { get; set; } = pass;

        public int Index { get; set; }
    }

    /// <summary>One tenant's fitting jobs, read lazily, in the candidate merge.</summary>
    private sealed class FittingLane : IDisposable
    {
        private readonly IEnumerator<QueuedJob> _jobs;

        public FittingLane(string tenant, IEnumerator<QueuedJob> jobs, double pass, double stride)
        {
            Tenant = tenant;
            _jobs = jobs;
            Pass = pass;
            Stride = stride;
            MoveNext();
        }

        public string Tenant { get; }

        public double Stride { get; }

        public double Pass { get; set; }

        public QueuedJob? Current { get; private set; }

        public bool MoveNext()
        {
            Current = _jobs.MoveNext() ? _jobs.Current : null;
            return Current is not null;
        }

        public void Dispose() => _jobs.Dispose();
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
        var work = _workOf(job.Ticket);
        _work[job.Ticket.JobId] = work;
        _bucketWork[key] = _bucketWork.GetValueOrDefault(key) + work;
        _queuedPerTenant[job.Ticket.TenantId] = QueuedFor(job.Ticket.TenantId) + 1;
        JobsWithLoras += job.Ticket.LoraDigests.Count > 0 ? 1 : 0;
    }
}
