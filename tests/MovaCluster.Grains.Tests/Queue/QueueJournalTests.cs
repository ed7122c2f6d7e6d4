using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Queue;

namespace MovaCluster.Grains.Tests.Queue;

/// <summary>
/// The queue's journal against the queue it describes: after any mix of enqueues, dispatches, finishes, requeues,
/// removals and reprioritisations, with snapshots taken at arbitrary points, the stored snapshot plus journal
/// replays to exactly the in-memory queue.
/// </summary>
public sealed class QueueJournalTests
{
    private static readonly JobPriority[] Priorities = [JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Snapshot_plus_journal_replays_to_the_live_queue(int seed)
    {
        var model = new LiveQueue(seed);
        for (var round = 0; round < 400; round++)
        {
            model.RandomChanges(model.Random.Next(1, 6));
            model.Commit(compact: model.Random.Next(40) == 0, settle: model.Random.Next(8) == 0);
        }

        model.AssertReplayMatches();
    }

    [Fact]
    public void Batches_already_in_the_snapshot_are_skipped_when_the_journal_was_not_cleared()
    {
        var model = new LiveQueue(7);
        model.RandomChanges(30);
        model.Commit(compact: false);
        model.RandomChanges(30);
        model.Commit(compact: false);

        // The snapshot is stored, then the process dies before the emptied journal is written: the old batches stay.
        model.Commit(compact: true, keepStoredJournal: true);

        Assert.NotEmpty(model.StoredTail);
        model.AssertReplayMatches();
    }

    [Fact]
    public void A_settled_tail_whose_emptied_copy_was_never_stored_is_replayed_once()
    {
        var model = new LiveQueue(11);
        model.RandomChanges(30);
        model.Commit(compact: false);
        model.RandomChanges(30);
        model.Commit(compact: false);

        // The tail is stored settled into the older part, then the process dies before the emptied tail is written.
        model.RandomChanges(30);
        model.Commit(compact: false, settle: true, keepStoredJournal: true);

        Assert.NotEmpty(model.StoredTail);
        model.AssertReplayMatches();
    }

    [Fact]
    public void A_with_copy_of_a_job_does_not_reuse_the_original_encoding()
    {
        var job = new QueuedJob { Ticket = Ticket("job-1", "a", JobPriority.Batch), Order = 1 };
        var snapshot = new QueueSnapshot { Queued = [job] };
        snapshot.Encode();

        var moved = job with { Ticket = job.Ticket with { Priority = JobPriority.Interactive }, Attempts = 2 };
        var decoded = QueueSnapshot.Decode(new QueueSnapshot { Queued = [moved] }.Encode()).Queued.Single();

        Assert.Equal(JobPriority.Interactive, decoded.Ticket.Priority);
        Assert.Equal(2, decoded.Attempts);
    }

    private static JobTicket Ticket(string id, string tenant, JobPriority priority) => new()
    {
        JobId = id, TenantId = tenant, Priority = priority, Model = "m", Volume = 256, Steps = 10,
        EnqueuedAt = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
    };

    /// <summary>The queue grain's bookkeeping without the grain: the same scheduler, leases, counters and journal.</summary>
    private sealed class LiveQueue
    {
        private readonly FairShareScheduler _scheduler = new(tenant => tenant == "t0" ? 2 : 1);
        private readonly Dictionary<string, RunningLease> _running = new(StringComparer.Ordinal);
        private readonly QueueJournal _journal = new([], [], 0);
        private long _nextOrder;
        private long _requeued;
        private double? _msPerStep;
        private int _nextId;

        public LiveQueue(int seed) => Random = new Random(seed);

        public Random Random { get; }

        public byte[] StoredSnapshot { get; private set; } = [];

        public byte[] StoredJournal { get; private set; } = [];

        public byte[] StoredTail { get; private set; } = [];

        public void RandomChanges(int count)
        {
            for (var i = 0; i < count; i++)
            {
                switch (Random.Next(7))
                {
                    case 0 or 1:
                        var tenant = $"t{Random.Next(4)}";
                        Add(new QueuedJob { Ticket = Ticket($"job-{_nextId++}", tenant, Priorities[Random.Next(3)]) with { LoraDigests = Loras(Random) }, Order = _nextOrder++ });
                        break;
                    case 2 when _scheduler.TryDequeue(_ => true, _ => true) is { } job:
                        var lease = new RunningLease
                        {
                            Job = job with { Attempts = job.Attempts + 1 }, Attempt = job.Attempts + 1, WorkerId = $"w{Random.Next(3)}",
                            SiloAddress = "silo", RenewedAt = new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero),
                        };
                        _running[job.Ticket.JobId] = lease;
                        _journal.Unqueued(job.Ticket.JobId);
                        _journal.Pass(job.Ticket.TenantId, _scheduler.Pass[job.Ticket.TenantId]);
                        _journal.Leased(lease);
                        break;
                    case 3 when _running.Count > 0:
                        var finished = _running.Keys.Order(StringComparer.Ordinal).ElementAt(Random.Next(_running.Count));
                        _running.Remove(finished);
                        _journal.Released(finished);
                        _msPerStep = Random.Next(100, 200);
                        break;
                    case 4 when _running.Count > 0:
                        var lost = _running.Values.OrderBy(l => l.Job.Order).ElementAt(Random.Next(_running.Count));
                        _running.Remove(lost.Job.Ticket.JobId);
                        _journal.Released(lost.Job.Ticket.JobId);
                        Add(lost.Job);
                        _requeued++;
                        break;
                    case 5 when _scheduler.Count > 0:
                        var queued = _scheduler.Jobs.OrderBy(j => j.Order).ElementAt(Random.Next(_scheduler.Count));
                        _scheduler.Remove(queued.Ticket.JobId);
                        if (Random.Next(2) == 0)
                        {
                            _journal.Unqueued(queued.Ticket.JobId);
                        }
                        else
                        {
                            Add(queued with { Ticket = queued.Ticket with { Priority = Priorities[Random.Next(3)] } });
                        }

                        break;
                    case 6 when _running.Values.FirstOrDefault(l => !l.Resubmitted) is { } held:
                        held.Resubmitted = true;
                        _journal.Resubmitted(held.Job.Ticket.JobId);
                        break;
                }
            }
        }

        /// <summary>One commit round as the grain does it: compact, or settle the tail, or store the tail.</summary>
        public void Commit(bool compact, bool settle = false, bool keepStoredJournal = false)
        {
            _journal.Seal(new QueueCounters(_nextOrder, _scheduler.VirtualClock, _msPerStep, _requeued));
            if (compact)
            {
                StoredSnapshot = Image(_journal.LastSequence).Encode();
                _journal.Truncate();
                if (keepStoredJournal)
                {
                    return;
                }

                StoredJournal = [];
                StoredTail = [];
                return;
            }

            if (settle)
            {
                StoredJournal = _journal.SettledWithTail();
                _journal.SettleTail();
                if (keepStoredJournal)
                {
                    return;
                }
            }

            StoredTail = _journal.Tail();
        }

        public void AssertReplayMatches()
        {
            var (replayed, last) = QueueJournal.Replay(QueueSnapshot.Decode(StoredSnapshot), StoredJournal, StoredTail);
            var live = Image(_journal.LastSequence);

            Assert.Equal(_journal.LastSequence, last);
            Assert.Equal(Describe(live.Queued), Describe(replayed.Queued));
            Assert.Equal(
                live.Running.Select(l => $"{Describe([l.Job])[0]} a{l.Attempt} {l.WorkerId} {l.RenewedAt:O} resubmitted={l.Resubmitted}").Order(StringComparer.Ordinal),
                replayed.Running.Select(l => $"{Describe([l.Job])[0]} a{l.Attempt} {l.WorkerId} {l.RenewedAt:O} resubmitted={l.Resubmitted}").Order(StringComparer.Ordinal));
            Assert.Equal(live.TenantPass.OrderBy(p => p.Key, StringComparer.Ordinal), replayed.TenantPass.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(
                (live.NextOrder, live.VirtualClock, live.MillisecondsPerStep, live.Requeued),
                (replayed.NextOrder, replayed.VirtualClock, replayed.MillisecondsPerStep, replayed.Requeued));

            var restored = new FairShareScheduler(tenant => tenant == "t0" ? 2 : 1);
            restored.Restore(replayed.Queued, replayed.TenantPass, replayed.VirtualClock);
            Assert.Equal(Drain(_scheduler), Drain(restored));
        }

        private void Add(QueuedJob job)
        {
            _scheduler.Add(job);
            _journal.Queued(job);
            _journal.Pass(job.Ticket.TenantId, _scheduler.Pass[job.Ticket.TenantId]);
        }

        private QueueSnapshot Image(long journalThrough) => new()
        {
            Queued = [.. _scheduler.Jobs], Running = [.. _running.Values],
            TenantPass = new Dictionary<string, double>(_scheduler.Pass, StringComparer.Ordinal), VirtualClock = _scheduler.VirtualClock,
            NextOrder = _nextOrder, MillisecondsPerStep = _msPerStep, Requeued = _requeued, JournalThrough = journalThrough,
        };

        private static List<string> Describe(IEnumerable<QueuedJob> jobs) =>
            jobs.Select(j => $"{j.Ticket.JobId} {j.Ticket.TenantId} {j.Ticket.Priority} o{j.Order} n{j.Attempts} [{string.Join(",", j.Ticket.LoraDigests)}]").Order(StringComparer.Ordinal).ToList();

        /// <summary>No adapter for most jobs, one or two (in order) for the rest.</summary>
        private static string[] Loras(Random random) => random.Next(3) switch
        {
            0 => [$"lora-{random.Next(4)}"],
            1 => [$"lora-{random.Next(4)}", $"lora-{4 + random.Next(4)}"],
            _ => [],
        };

        /// <summary>The dispatch order the scheduler would follow from here (drains a copy's worth: call last).</summary>
        private static List<string> Drain(FairShareScheduler scheduler)
        {
            var order = new List<string>();
            while (scheduler.TryDequeue(_ => true, _ => true) is { } job)
            {
                order.Add(job.Ticket.JobId);
            }

            return order;
        }
    }
}
