using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Api.Dashboard.Model;

namespace MovaCluster.Api.Dashboard;

/// <summary>
/// Samples the cluster every <see cref="DashboardOptions.SampleInterval"/> (queue, jobs, workers, silos) into a
/// <see cref="DashboardFrame"/> that every open dashboard receives, so N operators cost one set of grain calls.
/// Also follows jobs to their end for the charts and keeps each job's latest preview strip.
/// </summary>
public sealed partial class DashboardSampler(
    IClusterClient cluster,
    DashboardHistory history,
    IOptions<DashboardOptions> options,
    TimeProvider time,
    ILogger<DashboardSampler> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PreviewStrip> _previews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _eventCursors = new(StringComparer.Ordinal);
    private readonly LinkedList<DashboardJob> _finished = new();
    private HashSet<string> _active = new(StringComparer.Ordinal);
    private TaskCompletionSource<DashboardFrame> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DashboardFrame? _latest;

    private DashboardOptions Settings => options.Value;

    /// <summary>The most recent frame, or null before the first sample.</summary>
    public DashboardFrame? Latest => _latest;

    /// <summary>The next frame sampled after <paramref name="current"/> (at once when a newer one exists).</summary>
    public Task<DashboardFrame> NextAsync(DashboardFrame? current, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _latest is { } latest && !ReferenceEquals(latest, current)
                ? Task.FromResult(latest)
                : _next.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The latest preview strip of a job still on the dashboard, or null.</summary>
    public PreviewStrip? PreviewOf(string jobId)
    {
        lock (_gate)
        {
            return _previews.GetValueOrDefault(jobId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Settings.SampleInterval, time);
        do
        {
            try
            {
                Publish(await SampleAsync().ConfigureAwait(false));
            }
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(failure);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Takes one sample of the cluster (also used directly by tests).</summary>
    public async Task<DashboardFrame> SampleAsync()
    {
        var problems = new List<string>();
        var queue = cluster.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);
        var statistics = await queue.GetStatisticsAsync().ConfigureAwait(false);
        var entries = await queue.ListJobsAsync().ConfigureAwait(false);
        var shown = entries.Take(Settings.MaxJobs).ToList();
        var snapshots = await Task.WhenAll(shown.Select(entry => cluster.GetGrain<IJobGrain>(entry.Ticket.JobId).GetAsync())).ConfigureAwait(false);
        await FollowFinishedAsync(entries).ConfigureAwait(false);
        await CollectPreviewsAsync(snapshots).ConfigureAwait(false);
        foreach (var running in snapshots.Where(job => job.Status == JobStatus.Running))
        {
            history.RecordStarted(running);
        }

        var jobs = shown.Zip(snapshots, ToRow).ToList();
        List<DashboardJob> finished;
        lock (_gate)
        {
            finished = [.. _finished];
        }

        return new DashboardFrame
        {
            SampledAt = time.GetUtcNow(),
            Queued = statistics.Queued,
            Running = statistics.Running,
            KnownWorkers = statistics.KnownWorkers,
            Requeued = statistics.Requeued,
            MillisecondsPerStep = statistics.MillisecondsPerStep,
            Depth = DepthOf(entries),
            Jobs = [.. jobs, .. finished],
            Workers = await WorkersAsync(jobs, problems).ConfigureAwait(false),
            Silos = await SilosAsync(problems).ConfigureAwait(false),
            Hours = history.Hours(Settings.ChartHours),
            Problems = problems,
        };
    }

    private void Publish(DashboardFrame frame)
    {
        TaskCompletionSource<DashboardFrame> waiting;
        lock (_gate)
        {
            _latest = frame;
            waiting = _next;
            _next = new TaskCompletionSource<DashboardFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        waiting.TrySetResult(frame);
    }

    /// <summary>Jobs that left the queue since the last sample have finished: count them and keep them on the table.</summary>
    private async Task FollowFinishedAsync(IReadOnlyList<QueueEntry> entries)
    {
        var active = entries.Select(entry => entry.Ticket.JobId).ToHashSet(StringComparer.Ordinal);
        var gone = _active.Where(id => !active.Contains(id)).ToList();
        _active = active;
        if (gone.Count == 0)
        {
            return;
        }

        var finals = await Task.WhenAll(gone.Select(id => cluster.GetGrain<IJobGrain>(id).GetAsync())).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var job in finals.Where(job => job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled))
            {
                history.RecordFinished(job);
                _finished.AddFirst(ToRow(null, job) with { PreviewSequence = _previews.GetValueOrDefault(job.JobId)?.Sequence });
                _eventCursors.Remove(job.JobId);
            }

            while (_finished.Count > Settings.RecentFinishedJobs)
            {
                _previews.Remove(_finished.Last!.Value.Id);
                _finished.RemoveLast();
            }
        }
    }

    private async Task CollectPreviewsAsync(IEnumerable<JobSnapshot> snapshots)
    {
        var running = snapshots.Where(job => job.Status == JobStatus.Running).ToList();
        var events = await Task.WhenAll(running.Select(job =>
        {
            long cursor;
            lock (_gate)
            {
                cursor = _eventCursors.GetValueOrDefault(job.JobId);
            }

            return cursor >= job.LastEventSequence
                ? Task.FromResult<IReadOnlyList<JobEvent>>([])
                : cluster.GetGrain<IJobGrain>(job.JobId).GetEventsAsync(cursor);
        })).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var (job, batch) in running.Zip(events))
            {
                if (batch.Count > 0)
                {
                    _eventCursors[job.JobId] = batch.Max(item => item.Sequence);
                }

                if (batch.OfType<JobPreviewEvent>().MaxBy(preview => preview.Sequence) is { Image.Length: > 0 } latest)
                {
                    _previews[job.JobId] = new PreviewStrip(latest.Sequence, latest.Step, latest.Image, latest.ImageContentType);
                }
            }
        }
    }

    private DashboardJob ToRow(QueueEntry? entry, JobSnapshot job)
    {
        var request = job.Request;
        return new DashboardJob
        {
            Id = job.JobId,
            Tenant = job.TenantId,
            Priority = (entry?.Ticket.Priority ?? job.Priority).ToString(),
            State = job.Status.ToString(),
            Phase = job.Phase.ToString(),
            Model = job.ModelName ?? request?.Model ?? "",
            Resolution = request is null ? entry?.Ticket.Resolution ?? "" : $"{request.Width}x{request.Height}x{request.FrameCount}",
            Step = job.CompletedSteps,
            Steps = job.TotalSteps,
            Position = job.Status == JobStatus.Queued ? job.QueuePosition ?? entry?.Position : null,
            EtaSeconds = job.EstimatedRemaining?.TotalSeconds,
            MillisecondsPerStep = job.MillisecondsPerStep,
            Worker = job.WorkerId ?? entry?.WorkerId,
            Attempt = job.Attempt,
            CreatedAt = job.CreatedAt,
            StartedAt = job.StartedAt,
            FinishedAt = job.FinishedAt,
            CancelRequested = job.CancelRequested,
            Error = job.Error,
            PreviewSequence = PreviewOf(job.JobId)?.Sequence,
        };
    }

    private static List<QueueDepthRow> DepthOf(IEnumerable<QueueEntry> entries) =>
        [.. entries
            .GroupBy(entry => (entry.Ticket.TenantId, entry.Ticket.Priority))
            .OrderBy(group => group.Key.Priority)
            .ThenBy(group => group.Key.TenantId, StringComparer.Ordinal)
            .Select(group => new QueueDepthRow(
                group.Key.TenantId, group.Key.Priority.ToString(), group.Count(entry => !entry.Running), group.Count(entry => entry.Running)))];

    private async Task<List<DashboardWorker>> WorkersAsync(IReadOnlyList<DashboardJob> jobs, List<string> problems)
    {
        var registered = await cluster.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).ListAsync().ConfigureAwait(false);
        var statuses = await Task.WhenAll(registered.Select(async worker =>
        {
            try
            {
                return await cluster.GetGrain<IWorkerGrain>(worker.Worker.WorkerId).GetStatusAsync().WaitAsync(Settings.SampleInterval * 2).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is TimeoutException or OrleansException)
            {
                lock (problems)
                {
                    problems.Add($"Worker {worker.Worker.WorkerId} did not report its status: {failure.Message}");
                }

                return null;
            }
        })).ConfigureAwait(false);
        var phases = jobs.ToDictionary(job => job.Id, job => job.Phase, StringComparer.Ordinal);
        return [.. registered.Zip(statuses, (entry, status) =>
        {
            var worker = entry.Worker;
            var job = status?.RunningJobId ?? entry.RunningJobId;
            return new DashboardWorker
            {
                Id = worker.WorkerId,
                Device = worker.Device,
                Silo = worker.SiloName,
                Model = worker.ModelName,
                Shards = worker.Shards,
                OutputIsNoise = worker.OutputIsNoise,
                Job = job,
                Phase = job is null ? null : phases.GetValueOrDefault(job),
                JobsRun = status?.JobsRun ?? 0,
                LastHeartbeat = entry.LastHeartbeat,
                Utilisation = status?.Utilisation ?? [],
                UtilisationBucketSeconds = status?.UtilisationBucket.TotalSeconds ?? 0,
            };
        }).OrderBy(worker => worker.Id, StringComparer.Ordinal)];
    }

    private async Task<List<DashboardSilo>> SilosAsync(List<string> problems)
    {
        var management = cluster.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false).ConfigureAwait(false);
        var recent = time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
        var shown = hosts.Where(host => host.Status != SiloStatus.Dead || host.IAmAliveTime >= recent).ToList();
        var active = shown.Where(host => host.Status == SiloStatus.Active).Select(host => host.SiloAddress).ToArray();
        var statistics = new Dictionary<SiloAddress, SiloRuntimeStatistics>();
        try
        {
            var answers = await management.GetRuntimeStatistics(active).ConfigureAwait(false);
            for (var i = 0; i < active.Length && i < answers.Length; i++)
            {
                statistics[active[i]] = answers[i];
            }
        }
        catch (OrleansException failure)
        {
            problems.Add($"Silo statistics unavailable: {failure.Message}");
        }

        return [.. shown.Select(host =>
        {
            var stats = statistics.GetValueOrDefault(host.SiloAddress);
            return new DashboardSilo
            {
                Name = host.SiloName,
                Address = host.SiloAddress.ToParsableString(),
                Host = host.HostName,
                Status = host.Status.ToString(),
                StartedAt = new DateTimeOffset(DateTime.SpecifyKind(host.StartTime, DateTimeKind.Utc)),
                LastAlive = new DateTimeOffset(DateTime.SpecifyKind(host.IAmAliveTime, DateTimeKind.Utc)),
                Activations = stats?.ActivationCount,
                CpuPercent = stats?.EnvironmentStatistics.FilteredCpuUsagePercentage,
                MemoryBytes = stats?.EnvironmentStatistics.FilteredMemoryUsageBytes,
                Overloaded = stats?.IsOverloaded,
            };
        }).OrderBy(silo => silo.Name, StringComparer.Ordinal)];
    }

    [LoggerMessage(EventId = 7801, Level = LogLevel.Warning, Message = "Dashboard sample failed; the next tick tries again")]
    private partial void LogSampleFailed(Exception exception);
}
