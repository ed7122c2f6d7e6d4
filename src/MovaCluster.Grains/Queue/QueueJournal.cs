namespace MovaCluster.Grains.Queue;

/// <summary>
/// The queue's changes since its base snapshot, so a commit writes what changed instead of the whole queue. Changes
/// are recorded as they happen and sealed into one numbered batch per commit; a batch sets or deletes queued jobs,
/// leases and tenant passes, marks leases whose job was submitted again, and carries the queue's counters, so applying a batch twice does no harm. New batches go
/// to a small tail, the only part most commits write; a full tail is settled into the older part, and when the
/// journal outgrows its threshold the grain folds it into a new snapshot and starts an empty one.
/// </summary>
internal sealed class QueueJournal
{
    private const byte PutQueuedWithoutLoras = 1;
    private const byte DeleteQueued = 2;
    private const byte PutLeaseWithoutLoras = 3;
    private const byte DeleteLease = 4;
    private const byte SetPass = 5;

    // Jobs written with their LoRA digests (queue snapshot version 3); kinds 1 and 3 are still read.
    private const byte PutQueued = 6;
    private const byte PutLease = 7;

    // A leased job submitted again (RunningLease.Resubmitted).
    private const byte MarkResubmitted = 8;

    private readonly MemoryStream _pending = new();
    private readonly BinaryWriter _pendingWriter;
    private MemoryStream _settled = new();
    private MemoryStream _tail = new();
    private int _pendingCount;

    public QueueJournal(byte[] settled, byte[] tail, long lastSequence)
    {
        _pendingWriter = new BinaryWriter(_pending);
        _settled.Write(settled);
        _tail.Write(tail);
        LastSequence = lastSequence;
    }

    /// <summary>Number of the newest sealed batch.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Bytes of sealed batches held, settled and tail.</summary>
    public long Length => _settled.Length + _tail.Length;

    /// <summary>Bytes of the tail (what a commit writes).</summary>
    public long TailLength => _tail.Length;

    public void Queued(QueuedJob job)
    {
        Begin(PutQueued);
        QueueSnapshot.WriteJob(_pendingWriter, job);
    }

    public void Unqueued(string jobId)
    {
        Begin(DeleteQueued);
        _pendingWriter.Write(jobId);
    }

    public void Leased(RunningLease lease)
    {
        Begin(PutLease);
        QueueSnapshot.WriteLease(_pendingWriter, lease);
    }

    public void Released(string jobId)
    {
        Begin(DeleteLease);
        _pendingWriter.Write(jobId);
    }

    public void Resubmitted(string jobId)
    {
        Begin(MarkResubmitted);
        _pendingWriter.Write(jobId);
    }

    public void Pass(string tenant, double pass)
    {
        Begin(SetPass);
        _pendingWriter.Write(tenant);
        _pendingWriter.Write(pass);
    }

    /// <summary>Closes the changes recorded so far into the next batch, stamped with the queue's current counters.</summary>
    public void Seal(QueueCounters counters)
    {
        using var writer = new BinaryWriter(_tail, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(++LastSequence);
        writer.Write(counters.NextOrder);
        writer.Write(counters.VirtualClock);
        writer.Write(counters.MillisecondsPerStep ?? -1);
        writer.Write(counters.Requeued);
        writer.Write(_pendingCount);
        writer.Write(checked((int)_pending.Length));
        writer.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
        _pending.SetLength(0);
        _pendingCount = 0;
    }

    /// <summary>Moves the tail's batches to the end of the settled part.</summary>
    public void SettleTail()
    {
        _settled.Write(_tail.GetBuffer(), 0, (int)_tail.Length);
        _tail = new MemoryStream();
    }

    /// <summary>The settled batches followed by the tail's, as stored once the tail is settled.</summary>
    public byte[] SettledWithTail()
    {
        var bytes = new byte[_settled.Length + _tail.Length];
        _settled.GetBuffer().AsSpan(0, (int)_settled.Length).CopyTo(bytes);
        _tail.GetBuffer().AsSpan(0, (int)_tail.Length).CopyTo(bytes.AsSpan((int)_settled.Length));
        return bytes;
    }

    /// <summary>The tail's batches, as stored.</summary>
    public byte[] Tail() => _tail.ToArray();

    /// <summary>Drops the sealed batches once a snapshot that includes them is stored.</summary>
    public void Truncate()
    {
        _settled = new MemoryStream();
        _tail = new MemoryStream();
    }

    /// <summary>
    /// Applies the stored batches, settled then tail, to the snapshot and returns the result with the number of the
    /// last batch seen. Batches numbered at or below one already applied (or the snapshot's
    /// <see cref="QueueSnapshot.JournalThrough"/>) are skipped: a settled tail whose emptied copy was never stored
    /// leaves its batches in both parts.
    /// </summary>
    public static (QueueSnapshot State, long LastSequence) Replay(QueueSnapshot snapshot, byte[] settled, byte[] tail)
    {
        var queued = snapshot.Queued.ToDictionary(job => job.Ticket.JobId, StringComparer.Ordinal);
        var running = snapshot.Running.ToDictionary(lease => lease.Job.Ticket.JobId, StringComparer.Ordinal);
        var pass = new Dictionary<string, double>(snapshot.TenantPass, StringComparer.Ordinal);
        var counters = new QueueCounters(snapshot.NextOrder, snapshot.VirtualClock, snapshot.MillisecondsPerStep, snapshot.Requeued);
        var last = snapshot.JournalThrough;
        foreach (var stored in (byte[][])[settled, tail])
        {
            using var reader = new BinaryReader(new MemoryStream(stored, writable: false));
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var sequence = reader.ReadInt64();
                var batchCounters = new QueueCounters(reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble() is var ms && ms >= 0 ? ms : null, reader.ReadInt64());
                var count = reader.ReadInt32();
                var length = reader.ReadInt32();
                if (sequence <= last)
                {
                    reader.BaseStream.Seek(length, SeekOrigin.Current);
                    continue;
                }

                for (var i = 0; i < count; i++)
                {
                    Apply(reader, queued, running, pass);
                }

                counters = batchCounters;
                last = sequence;
            }
        }

        var state = new QueueSnapshot
        {
            Queued = [.. queued.Values], Running = [.. running.Values], TenantPass = pass, VirtualClock = counters.VirtualClock,
            NextOrder = counters.NextOrder, MillisecondsPerStep = counters.MillisecondsPerStep, Requeued = counters.Requeued,
            JournalThrough = snapshot.JournalThrough,
        };
        return (state, last);
    }

    private static void Apply(BinaryReader reader, Dictionary<string, QueuedJob> queued, Dictionary<string, RunningLease> running, Dictionary<string, double> pass)
    {
        switch (reader.ReadByte())
        {
            case (PutQueued or PutQueuedWithoutLoras) and var kind:
                var job = QueueSnapshot.ReadJob(reader, withLoras: kind == PutQueued);
                queued[job.Ticket.JobId] = job;
                break;
            case DeleteQueued:
                queued.Remove(reader.ReadString());
                break;
            case (PutLease or PutLeaseWithoutLoras) and var kind:
                var lease = QueueSnapshot.ReadLease(reader, withLoras: kind == PutLease);
                running[lease.Job.Ticket.JobId] = lease;
                break;
            case DeleteLease:
                running.Remove(reader.ReadString());
                break;
            case MarkResubmitted:
                if (running.TryGetValue(reader.ReadString(), out var held))
                {
                    held.Resubmitted = true;
                }

                break;
            case SetPass:
                var tenant = reader.ReadString();
                pass[tenant] = reader.ReadDouble();
                break;
            case var unknown:
                throw new InvalidDataException($"Queue journal holds an unknown change kind {unknown}.");
        }
    }

    private void Begin(byte kind)
    {
        _pendingWriter.Write(kind);
        _pendingCount++;
    }
}
