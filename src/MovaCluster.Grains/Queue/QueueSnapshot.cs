using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Everything the queue persists, and its binary form: the base image that <see cref="QueueJournal"/> batches apply
/// to. <see cref="JournalThrough"/> is the last journal batch already folded into this image.
/// </summary>
internal sealed class QueueSnapshot
{
    /// <summary>3: jobs carry their LoRA digests (see <see cref="WriteFields"/>); 4: leases say whether their job was submitted again.</summary>
    private const int Version = 4;

    public List<QueuedJob> Queued { get; init; } = [];

    public List<RunningLease> Running { get; init; } = [];

    public Dictionary<string, double> TenantPass { get; init; } = new(StringComparer.Ordinal);

    public double VirtualClock { get; init; }

    public long NextOrder { get; set; }

    public double? MillisecondsPerStep { get; set; }

    public long Requeued { get; set; }

    public long JournalThrough { get; init; }

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            writer.Write(JournalThrough);
            writer.Write(NextOrder);
            writer.Write(VirtualClock);
            writer.Write(MillisecondsPerStep ?? -1);
            writer.Write(Requeued);
            writer.Write(TenantPass.Count);
            foreach (var (tenant, pass) in TenantPass)
            {
                writer.Write(tenant);
                writer.Write(pass);
            }

            writer.Write(Queued.Count);
            foreach (var job in Queued)
            {
                WriteJob(writer, job);
            }

            writer.Write(Running.Count);
            foreach (var lease in Running)
            {
                WriteLease(writer, lease);
            }

            foreach (var lease in Running)
            {
                writer.Write(lease.Resubmitted);
            }
        }

        return stream.ToArray();
    }

    public static QueueSnapshot Decode(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return new QueueSnapshot();
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var version = reader.ReadInt32();
        if (version is not (1 or 2 or 3 or Version))
        {
            throw new InvalidDataException($"Queue snapshot version {version} is not supported (expected {Version}).");
        }

        var journalThrough = version >= 2 ? reader.ReadInt64() : 0;
        var nextOrder = reader.ReadInt64();
        var clock = reader.ReadDouble();
        var msPerStep = reader.ReadDouble();
        var requeued = reader.ReadInt64();
        var pass = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            pass[reader.ReadString()] = reader.ReadDouble();
        }

        var queued = new List<QueuedJob>();
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            queued.Add(ReadJob(reader, withLoras: version >= 3));
        }

        var running = new List<RunningLease>();
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            running.Add(ReadLease(reader, withLoras: version >= 3));
        }

        if (version >= 4)
        {
            foreach (var lease in running)
            {
                lease.Resubmitted = reader.ReadBoolean();
            }
        }

        return new QueueSnapshot
        {
            Queued = queued, Running = running, TenantPass = pass, VirtualClock = clock, NextOrder = nextOrder,
            MillisecondsPerStep = msPerStep < 0 ? null : msPerStep, Requeued = requeued, JournalThrough = journalThrough,
        };
    }

    private static byte[] EncodeJob(QueuedJob job)
    {
        using var stream = new MemoryStream(64);
        using (var writer = new BinaryWriter(stream))
        {
            WriteFields(writer, job);
        }

        return stream.ToArray();
    }

    /// <summary>Writes a job, encoding it once: its bytes are reused by every later snapshot and journal batch.</summary>
    public static void WriteJob(BinaryWriter writer, QueuedJob job) => writer.Write(job.Encoded ??= EncodeJob(job));

    public static void WriteLease(BinaryWriter writer, RunningLease lease)
    {
        WriteJob(writer, lease.Job);
        writer.Write(lease.Attempt);
        writer.Write(lease.WorkerId);
        writer.Write(lease.SiloAddress);
        writer.Write(lease.RenewedAt.UtcTicks);
    }

    public static RunningLease ReadLease(BinaryReader reader, bool withLoras) => new()
    {
        Job = ReadJob(reader, withLoras),
        Attempt = reader.ReadInt32(),
        WorkerId = reader.ReadString(),
        SiloAddress = reader.ReadString(),
        RenewedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
    };

    private static void WriteFields(BinaryWriter writer, QueuedJob job)
    {
        var ticket = job.Ticket;
        writer.Write(ticket.JobId);
        writer.Write(ticket.TenantId);
        writer.Write((int)ticket.Priority);
        writer.Write(ticket.Model);
        writer.Write(ticket.Volume);
        writer.Write(ticket.Steps);
        writer.Write(ticket.EnqueuedAt.UtcTicks);
        writer.Write(job.Order);
        writer.Write(job.Attempts);
        writer.Write(ticket.LoraDigests.Count);
        foreach (var digest in ticket.LoraDigests)
        {
            writer.Write(digest);
        }
    }

    /// <summary>Reads a job; <paramref name="withLoras"/>: written by a queue that stores LoRA digests (snapshot version 3, journal kinds 6 and 7).</summary>
    public static QueuedJob ReadJob(BinaryReader reader, bool withLoras)
    {
        var ticket = new JobTicket
        {
            JobId = reader.ReadString(),
            TenantId = reader.ReadString(),
            Priority = (JobPriority)reader.ReadInt32(),
            Model = reader.ReadString(),
            Volume = reader.ReadInt64(),
            Steps = reader.ReadInt32(),
            EnqueuedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
        };
        var order = reader.ReadInt64();
        var attempts = reader.ReadInt32();
        if (withLoras)
        {
            var digests = new string[reader.ReadInt32()];
            for (var i = 0; i < digests.Length; i++)
            {
                digests[i] = reader.ReadString();
            }

            ticket = ticket with { LoraDigests = digests };
        }

        return new QueuedJob { Ticket = ticket, Order = order, Attempts = attempts };
    }
}
