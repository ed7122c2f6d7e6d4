using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Faults;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Telemetry;
using MovaCluster.ServiceDefaults.Resilience;
using Orleans.Concurrency;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// The cluster's dispatch queue. Reentrant: every turn changes the in-memory scheduler synchronously, records the
/// change in the queue's journal and then awaits a shared (group) commit, so a change is durable before it is
/// acknowledged while a burst of submissions or dispatches costs one storage write per round. A commit writes the
/// journal of changes since the base snapshot, not the whole queue; the snapshot is rewritten (and the journal
/// emptied) only when the journal grows past a fraction of it.
/// </summary>
[Reentrant]
internal sealed partial class JobQueueGrain(
    [PersistentState("queue", StorageNames.Queue)] IPersistentState<JobQueueState> state,
    [PersistentState("queue-journal", StorageNames.Queue)] IPersistentState<QueueJournalState> journalState,
    [PersistentState("queue-journal-tail", StorageNames.Queue)] IPersistentState<QueueJournalState> tailState,
    [PersistentState("queue-timings", StorageNames.Queue)] IPersistentState<PhaseStatisticsState> timingsState,
    IOptions<QueueOptions> options,
    TimeProvider time,
    MovaMetrics metrics,
    OutageRetry retry,
    ILogger<JobQueueGrain> logger) : Grain, IJobQueueGrain
{
    private readonly CancellationTokenSource _deactivating = new();
    private readonly Dictionary<string, RunningLease> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (WorkerDescriptor Worker, DateTimeOffset SeenAt)> _workers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _dispatchedAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _timingsWrite = new(1, 1);
    private PhaseStatistics _phases = null!;
    private FairShareScheduler _scheduler = null!;
    private GroupCommit _commit = null!;
    private QueueSnapshot _saved = null!;
    private QueueJournal _journal = null!;
    private long _snapshotBytes;

    /// <summary>Tail size at which it is settled into the journal's older part.</summary>
    private const long TailThreshold = 8 * 1024;

    private QueueOptions Settings => options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _snapshotBytes = state.State.Snapshot.Length;
        (_saved, var lastBatch) = QueueJournal.Replay(QueueSnapshot.Decode(state.State.Snapshot), journalState.State.Batches, tailState.State.Batches);
        _journal = new QueueJournal(journalState.State.Batches, tailState.State.Batches, lastBatch);
        _phases = new PhaseStatistics(timingsState.State, Settings.InitialMillisecondsPerStep);
        _scheduler = new FairShareScheduler(WeightOf, ticket => _phases.PredictRun(ticket));
        _scheduler.Restore(_saved.Queued, _saved.TenantPass, _saved.VirtualClock);
        var now = time.GetUtcNow();
        foreach (var lease in _saved.Running)
        {
            // Renewals are not persisted: every restored lease gets a full timeout for its worker to check in.
            lease.RenewedAt = now;
            _running[lease.Job.Ticket.JobId] = lease;
        }

        _saved.Queued.Clear();
        _saved.Running.Clear();

        _commit = new GroupCommit(WriteAsync, retry, time, new GroupCommit.Observer(
            failure => LogStoreOutage(failure),
            LogStoreRecovered,
            failure =>
            {
                LogWriteFailed(failure);
                if (failure is Orleans.Storage.InconsistentStateException)
                {
                    // A write whose answer was lost moved the stored version on: start again from what is stored.
                    DeactivateOnIdle();
                }
            }), _deactivating.Token);
        PublishGauges();
        _gaugeRefresh = this.RegisterGrainTimer(PublishStaleGaugesAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
        this.RegisterGrainTimer(CheckLeasesAsync, new GrainTimerCreationOptions(Settings.LeaseCheckInterval, Settings.LeaseCheckInterval) { Interleave = true });
        LogActivated(_scheduler.Count, _running.Count);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _deactivating.CancelAsync();
    }

    public async Task<EnqueueResult> EnqueueAsync(JobTicket ticket)
    {
        if (_running.TryGetValue(ticket.JobId, out var held))
        {
            if (!held.Resubmitted)
            {
                held.Resubmitted = true;
                _journal.Resubmitted(ticket.JobId);
                await CommitOrKeepAsync();
            }
        }
        else if (!_scheduler.Contains(ticket.JobId))
        {
            if (_commit.IsFailing)
            {
                throw new StoreUnavailableException("The queue's store is unreachable; no job is taken until it is back.");
            }

            if (_scheduler.QueuedFor(ticket.TenantId) >= Settings.MaxQueuedPerTenant)
            {
                return Reject(RejectionReason.TenantQueuedLimit,
                    $"Tenant '{ticket.TenantId}' already has {Settings.MaxQueuedPerTenant} jobs waiting, its limit; retry when some have started.");
            }

            if (_scheduler.Count >= Settings.MaxQueued)
            {
                return Reject(RejectionReason.QueueFull,
                    $"The queue holds {Settings.MaxQueued} jobs, its limit; retry later.");
            }

            AddToQueue(new QueuedJob { Ticket = ticket, Order = _saved.NextOrder++ });

            // Placed before the commit's await: while it is the newest in its line its position is a running total,
            // and the place it took is the answer even if more jobs arrive during the write.
            var placed = PositionOf(ticket.JobId);
            try
            {
                await _commit.CommitAsync();
            }
            catch (StoreUnavailableException)
            {
                // Not taken: the job grain writes nothing and the create is answered "unavailable".
                if (_scheduler.Remove(ticket.JobId))
                {
                    _journal.Unqueued(ticket.JobId);
                }

                throw;
            }

            WakeWaitingWorkers(worker => Fits(ticket, worker));
            return new EnqueueResult { Accepted = true, Position = placed?.Position ?? 0, EstimatedWait = placed?.EstimatedWait, EstimatedRun = placed?.EstimatedRun };
        }

        var position = PositionOf(ticket.JobId);
        return new EnqueueResult { Accepted = true, Position = position?.Position ?? 0, EstimatedWait = position?.EstimatedWait, EstimatedRun = position?.EstimatedRun };
    }

    public async Task<bool> RemoveAsync(string jobId)
    {
        if (!_scheduler.Remove(jobId))
        {
            return false;
        }

        _journal.Unqueued(jobId);
        await CommitOrKeepAsync();
        return true;
    }

    public async Task<WorkAssignment?> RequestWorkAsync(WorkerDescriptor worker)
    {
        _workers[worker.WorkerId] = (worker, time.GetUtcNow());
        if (_running.Values.Any(lease => lease.WorkerId == worker.WorkerId))
        {
            // The worker is busy by our books (e.g. its finish report is still in flight); it asks again later.
            return null;
        }

        if (_commit.IsFailing)
        {
            // A dispatch that cannot be stored would be handed out again by a queue restarted from its store.
            return null;
        }

        var runningPerTenant = _running.Values.GroupBy(lease => lease.Job.Ticket.TenantId).ToDictionary(g => g.Key, g => g.Count());
        bool MayRun(string tenant) => runningPerTenant.GetValueOrDefault(tenant) < Settings.MaxRunningPerTenant;
        var job = Settings.LoraAffinity && _scheduler.JobsWithLoras > 0
            ? TakeWithAffinity(worker, MayRun)
            : _scheduler.TryDequeue(candidate => Fits(candidate.Ticket, worker), MayRun);
        if (job is null)
        {
            _waiting.Add(worker.WorkerId);
            return null;
        }

        _waiting.Remove(worker.WorkerId);
        var attempt = job.Attempts + 1;
        var lease = new RunningLease
        {
            Job = job with { Attempts = attempt },
            Attempt = attempt,
            WorkerId = worker.WorkerId,
            SiloAddress = worker.SiloAddress,
            RenewedAt = time.GetUtcNow(),
        };
        _running[job.Ticket.JobId] = lease;
        _dispatchedAt[job.Ticket.JobId] = lease.RenewedAt;
        _journal.Unqueued(job.Ticket.JobId);
        _journal.Pass(job.Ticket.TenantId, _scheduler.Pass[job.Ticket.TenantId]);
        _journal.Leased(lease);
        try
        {
            await _commit.CommitAsync();
        }
        catch (StoreUnavailableException)
        {
            // Back in line as it was: the worker hears nothing and asks again later.
            if (_running.Remove(job.Ticket.JobId))
            {
                _journal.Released(job.Ticket.JobId);
                AddToQueue(job);
            }

            return null;
        }

        LogDispatched(job.Ticket.JobId, worker.WorkerId, attempt);
        metrics.RecordQueueWait(time.GetUtcNow() - job.Ticket.EnqueuedAt, job.Ticket.Priority, job.Ticket.Model);
        return new WorkAssignment { JobId = job.Ticket.JobId, Attempt = attempt, TenantId = job.Ticket.TenantId, TraceParent = job.Ticket.TraceParent };
    }

    public Task HeartbeatAsync(WorkerDescriptor worker, string? runningJobId)
    {
        var now = time.GetUtcNow();
        _workers[worker.WorkerId] = (worker, now);
        if (runningJobId is not null && _running.TryGetValue(runningJobId, out var lease) && lease.WorkerId == worker.WorkerId)
        {
            lease.RenewedAt = now;
        }

        return Task.CompletedTask;
    }

    public async Task FinishedAsync(string jobId, int attempt, double? millisecondsPerStep)
    {
        if (!_running.TryGetValue(jobId, out var lease) || lease.Attempt != attempt)
        {
            return;
        }

        _running.Remove(jobId);
        _dispatchedAt.Remove(jobId);
        _journal.Released(jobId);
        if (lease.Resubmitted)
        {
            // Once more in line: a start the resubmitted job grants runs it, one it refuses (the job ended) drops it.
            LogResubmittedRequeued(jobId, lease.WorkerId, attempt);
            AddToQueue(lease.Job);
        }

        if (millisecondsPerStep is { } measured)
        {
            _saved.MillisecondsPerStep = _saved.MillisecondsPerStep is { } average ? (0.8 * average) + (0.2 * measured) : measured;
        }

        await CommitOrKeepAsync();
        WakeWaitingWorkers();
    }

    public async Task AbandonAsync(string jobId, int attempt)
    {
        if (_running.TryGetValue(jobId, out var lease) && lease.Attempt == attempt)
        {
            LogAbandoned(jobId, lease.WorkerId, attempt);
            await RequeueAsync([lease]);
        }
    }

    public Task<QueuePosition?> GetPositionAsync(string jobId) => Task.FromResult(PositionOf(jobId));

    public async Task RecordTimingsAsync(JobTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        _phases.Add(timings);
        _scheduler.Reprice();
        await _timingsWrite.WaitAsync();
        try
        {
            await timingsState.WriteStateAsync();
        }
        finally
        {
            _timingsWrite.Release();
        }
    }

    public Task<PhaseEstimate> EstimateAsync(string model, string resolution, int frameCount) =>
        Task.FromResult(_phases.Estimate(model, resolution, frameCount));

    public async Task RecoverSiloAsync(string siloAddress)
    {
        foreach (var worker in _workers.Where(pair => pair.Value.Worker.SiloAddress == siloAddress).Select(pair => pair.Key).ToList())
        {
            _workers.Remove(worker);
            _waiting.Remove(worker);
        }

        var lost = _running.Values.Where(lease => lease.SiloAddress == siloAddress).ToList();
        if (lost.Count == 0)
        {
            return;
        }

        foreach (var lease in lost)
        {
            LogSiloLost(lease.Job.Ticket.JobId, lease.WorkerId, siloAddress);
        }

        await RequeueAsync(lost);
    }

    public Task<QueueStatistics> GetStatisticsAsync()
    {
        var tenants = _scheduler.Jobs.Select(job => job.Ticket.TenantId)
            .Concat(_running.Values.Select(lease => lease.Job.Ticket.TenantId))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(tenant => new TenantQueueStatistics
            {
                TenantId = tenant,
                Queued = _scheduler.QueuedFor(tenant),
                Running = _running.Values.Count(lease => lease.Job.Ticket.TenantId == tenant),
            })
            .ToList();
        return Task.FromResult(new QueueStatistics
        {
            Queued = _scheduler.Count,
            Running = _running.Count,
            KnownWorkers = LiveWorkers().Count(),
            MillisecondsPerStep = _saved.MillisecondsPerStep,
            Tenants = tenants,
            Requeued = _saved.Requeued,
        });
    }

    private async Task CheckLeasesAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() - Settings.LeaseTimeout;
        var expired = _running.Values.Where(lease => lease.RenewedAt < deadline).ToList();
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var lease in expired)
        {
            LogLeaseExpired(lease.Job.Ticket.JobId, lease.WorkerId, Settings.LeaseTimeout);

            // Best effort: a worker on a silo that is gone cannot answer, and its job moves on regardless.
            GrainFactory.GetGrain<IWorkerGrain>(lease.WorkerId).CancelJobAsync(lease.Job.Ticket.JobId, lease.Attempt).Ignore();
        }

        await RequeueAsync(expired);
    }

    /// <summary>Puts lost jobs back in line with their original arrival order, so they keep their place.</summary>
    private async Task RequeueAsync(IReadOnlyList<RunningLease> leases)
    {
        foreach (var lease in leases)
        {
            _running.Remove(lease.Job.Ticket.JobId);
            _dispatchedAt.Remove(lease.Job.Ticket.JobId);
            _journal.Released(lease.Job.Ticket.JobId);
            AddToQueue(lease.Job);
            _saved.Requeued++;
        }

        await CommitOrKeepAsync();
        foreach (var lease in leases)
        {
            var position = PositionOf(lease.Job.Ticket.JobId);
            await GrainFactory.GetGrain<IJobGrain>(lease.Job.Ticket.JobId)
                .RequeueAsync(lease.Attempt, position?.Position ?? 0, position?.EstimatedWait);
        }

        WakeWaitingWorkers();
    }

    /// <summary>
    /// Commits a change that stands whether or not it is stored yet (a release, a requeue, a removal): when the store
    /// is out, the change is kept in memory and stored with the write that retries until it is back.
    /// </summary>
    private async Task CommitOrKeepAsync()
    {
        try
        {
            await _commit.CommitAsync();
        }
        catch (StoreUnavailableException)
        {
        }
    }

    /// <summary>
    /// A queued job's place and times: the wait is the predicted work of the jobs ahead plus what the running jobs
    /// have left, shared over the live workers that fit the job (none when a fitting worker is idle and nobody is
    /// ahead), and the run is the job's own predicted run, both from the measured phase times.
    /// </summary>
    private QueuePosition? PositionOf(string jobId)
    {
        if (_scheduler.PositionOf(jobId) is not { } place || _scheduler.Find(jobId) is not { } job)
        {
            return null;
        }

        var ticket = job.Ticket;
        var workers = Math.Max(1, LiveWorkers().Count(worker => Fits(ticket, worker)));
        var now = time.GetUtcNow();
        var runningLeft = 0.0;
        foreach (var lease in _running.Values)
        {
            var elapsed = (now - _dispatchedAt.GetValueOrDefault(lease.Job.Ticket.JobId, now)).TotalMilliseconds;
            runningLeft += Math.Max(0, _phases.PredictRun(lease.Job.Ticket) - elapsed);
        }

        var idle = workers - _running.Count;
        var waitMilliseconds = place.Position < idle ? 0 : (place.WorkAhead + runningLeft) / workers;
        return new QueuePosition
        {
            Position = place.Position,
            EstimatedWait = TimeSpan.FromMilliseconds(waitMilliseconds),
            EstimatedRun = TimeSpan.FromMilliseconds(_phases.PredictRun(ticket)),
        };
    }

    private IEnumerable<WorkerDescriptor> LiveWorkers()
    {
        var cutoff = time.GetUtcNow() - Settings.LeaseTimeout;
        return _workers.Values.Where(entry => entry.SeenAt >= cutoff).Select(entry => entry.Worker);
    }

    private static bool Fits(JobTicket ticket, WorkerDescriptor worker) =>
        WorkerModelNames.Serves(worker.ModelName, ticket.Model) && ticket.Volume <= worker.MaxVolume;

    /// <summary>
    /// Wakes the idle workers that may now find work: all of them after a release or requeue, only those the new job
    /// fits after an enqueue (waking the others would have each scan the whole queue for nothing).
    /// </summary>
    private void WakeWaitingWorkers(Func<WorkerDescriptor, bool>? interested = null)
    {
        if (_scheduler.Count == 0 || _waiting.Count == 0)
        {
            return;
        }

        foreach (var worker in _waiting.ToList())
        {
            if (interested is not null && _workers.TryGetValue(worker, out var known) && !interested(known.Worker))
            {
                continue;
            }

            _waiting.Remove(worker);
            GrainFactory.GetGrain<IWorkerGrain>(worker).WakeAsync().Ignore();
        }
    }

    private double WeightOf(string tenant) => Settings.TenantWeights.GetValueOrDefault(tenant, Settings.DefaultTenantWeight);

    /// <summary>Puts a job in line (new, requeued or moved to another class) and journals it with its tenant's pass.</summary>
    private void AddToQueue(QueuedJob job)
    {
        _scheduler.Add(job);
        _journal.Queued(job);
        _journal.Pass(job.Ticket.TenantId, _scheduler.Pass[job.Ticket.TenantId]);
    }

    /// <summary>
    /// One commit round: seal the changes made so far into a journal batch and store the journal's tail; first, when
    /// the tail is full, store it settled into the older part, and when the whole journal has outgrown
    /// <see cref="CompactionThreshold"/>, fold it into a new base snapshot instead. Everything up to the first await
    /// runs in one turn, so what is stored matches the in-memory queue exactly.
    /// </summary>
    private async Task WriteAsync()
    {
        _journal.Seal(new QueueCounters(_saved.NextOrder, _scheduler.VirtualClock, _saved.MillisecondsPerStep, _saved.Requeued));
        RefreshGauges();
        if (_journal.Length > CompactionThreshold)
        {
            var snapshot = new QueueSnapshot
            {
                Queued = [.. _scheduler.Jobs],
                Running = [.. _running.Values],
                TenantPass = new Dictionary<string, double>(_scheduler.Pass, StringComparer.Ordinal),
                VirtualClock = _scheduler.VirtualClock,
                NextOrder = _saved.NextOrder,
                MillisecondsPerStep = _saved.MillisecondsPerStep,
                Requeued = _saved.Requeued,
                JournalThrough = _journal.LastSequence,
            };
            state.State.Snapshot = snapshot.Encode();
            _snapshotBytes = state.State.Snapshot.Length;
            await state.WriteStateAsync();

            // Only batches sealed in this round are in the snapshot, and no other round runs meanwhile. The emptied
            // journal is stored only to free space: batches the snapshot covers are skipped on replay.
            _journal.Truncate();
            journalState.State.Batches = [];
            tailState.State.Batches = [];
            await journalState.WriteStateAsync();
            await tailState.WriteStateAsync();
            return;
        }

        if (_journal.TailLength > TailThreshold)
        {
            // Settled part first, and the tail emptied only once that is stored: dying in between leaves the tail's
            // batches in both parts, which replay skips.
            journalState.State.Batches = _journal.SettledWithTail();
            await journalState.WriteStateAsync();
            _journal.SettleTail();
            tailState.State.Batches = [];
            await tailState.WriteStateAsync();
            return;
        }

        tailState.State.Batches = _journal.Tail();
        await tailState.WriteStateAsync();
    }

    /// <summary>
    /// Journal size that triggers a new snapshot. A commit writes the tail (up to <see cref="TailThreshold"/> T),
    /// every T / b commits (b: a batch's size) the settled part (J / 2 on average) and every J / b commits the
    /// snapshot S, so a commit costs about T/2 + J·b/(2T) + S·b/J bytes, least at J = √(2·S·T) whatever b is.
    /// </summary>
    private long CompactionThreshold => Math.Max(2 * TailThreshold, (long)Math.Sqrt(2.0 * _snapshotBytes * TailThreshold));

    private EnqueueResult Reject(RejectionReason reason, string message)
    {
        LogRejected(reason, message);
        return new EnqueueResult { Accepted = false, Reason = reason, Message = message };
    }
}
