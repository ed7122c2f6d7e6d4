using MovaCluster.Contracts.Faults;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Loras;
using MovaCluster.Contracts.Planning;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Usage;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Contracts.Tests;

/// <summary>One fully populated instance of every contract type.</summary>
public static class ContractSamples
{
    public const string Digest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly JobLora Lora = new()
    {
        Name = "watercolor", Digest = Digest, Strength = 0.8, Location = $"tenants/acme/loras/{Digest}/", AlphaOverride = 8,
    };

    public static readonly GenerationRequest Request = new()
    {
        Prompt = "a lighthouse at dusk, waves", NegativePrompt = "blurry", Width = 640, Height = 352, FrameCount = 97,
        Steps = 40, Seed = 99, GuidanceScale = 4.5f, Model = "mova-360p", ReferenceImage = [1, 2, 3], Cache = "fast", Loras = [Lora],
    };

    public static readonly CacheUsage Cache = new()
    {
        Tier = "fast", Steps = 12, StepsComputed = 11, Passes = 24, PassesComputed = 14, PassesBlocksReused = 8, PassesStepReused = 2,
        LayerEvaluations = 960, LayerEvaluationsComputed = 600, Note = "none",
    };

    public static readonly LoraContent LoraContent = new()
    {
        Digest = Digest, Format = "safetensors", Rank = 16, MinRank = 8, Alpha = 8, AlphaOverride = 8, LayerCount = 304,
        Components = ["video_dit", "audio_dit"], TensorBytes = 19_300_000, StoredBytes = 19_400_000, Location = Lora.Location, Model = "mova-360p",
    };

    public static readonly LoraAdapterInfo LoraAdapter = new()
    {
        Name = "watercolor", Scope = LoraScopes.Tenant("acme"), Source = "upload", CreatedAt = DateTimeOffset.UnixEpoch, Content = LoraContent,
    };

    public static readonly ClipLocation Clip = new() { Key = "t/job.mp4", ContentType = "video/mp4", SizeBytes = 1234, Sha256 = "ab" };

    public static readonly WorkerDescriptor Worker = new()
    {
        WorkerId = "silo-a/cuda:0", SiloName = "silo-a", SiloAddress = "10.0.0.1:11111@1", Device = "cuda:0", MemoryBytes = 80L << 30,
        ModelName = "mova-360p", MaxVolume = 640 * 352 * 193, Shards = ["video_dit", "audio_dit"], OutputIsNoise = false, WeightDType = "bfloat16", HeldLoras = [Digest],
    };

    public static IEnumerable<object> All()
    {
        var snapshot = new JobSnapshot
        {
            JobId = "job-1", Status = JobStatus.Running, Phase = JobPhase.DenoisingLowNoise, TenantId = "acme", Priority = JobPriority.Interactive,
            Request = Request, Seed = 99, ModelName = "mova-360p", CreatedAt = DateTimeOffset.UnixEpoch, StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(1),
            CompletedSteps = 12, TotalSteps = 40, MillisecondsPerStep = 812.5, QueuePosition = 3, EstimatedRemaining = TimeSpan.FromSeconds(22),
            WorkerId = "silo-a/cuda:0", Attempt = 2, Error = "none", Clip = Clip, LastEventSequence = 77, CancelRequested = true, ErrorCode = "generation_failed", Cache = Cache,
            EstimatedWait = TimeSpan.FromSeconds(7),
        };
        yield return Request;
        yield return new StoreUnavailableException();
        yield return Cache;
        yield return Clip;
        yield return Worker;
        yield return snapshot;
        yield return new JobSubmission { TenantId = "acme", Priority = JobPriority.Batch, Request = Request, WaitingForWorker = true };
        yield return SubmitResult.Accept(snapshot);
        yield return SubmitResult.Reject(RejectionReason.TenantQueuedLimit, "too many");
        yield return new JobStartGrant { Granted = true, Request = Request, Seed = 5, CheckpointStep = 8 };
        var ticket = new JobTicket
        {
            JobId = "job-1", TenantId = "acme", Priority = JobPriority.Standard, Model = "m", Volume = 9, Steps = 4, EnqueuedAt = DateTimeOffset.UnixEpoch,
            Resolution = "640x352", TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Work = 2.5, LoraDigests = [Digest],
        };
        yield return ticket;
        yield return new ClusterPlanView
        {
            Plan = "pipeline2+cfg", Reason = "Latency", GpuCount = 8, Gpu = "H100-80GB", Resolution = "360p", PredictedJobsPerHour = 54.7,
            PredictedLatencySeconds = 254, PeakDeviceGiB = 43.7, Replicas = 2, GpusPerReplica = 4, ExpertResidency = "BothResident",
            Error = "none", ChosenAt = DateTimeOffset.UnixEpoch, Silo = "10.0.0.1:11111@1",
        };
        yield return new QueueEntry { Ticket = ticket, Running = true, Position = 2, WorkerId = "silo-a/cuda:0", Attempt = 2 };
        yield return new EnqueueResult
        {
            Accepted = false, Position = 2, EstimatedWait = TimeSpan.FromMinutes(1), Reason = RejectionReason.QueueFull, Message = "full", EstimatedRun = TimeSpan.FromSeconds(40),
        };
        yield return new QueuePosition { Position = 4, EstimatedWait = TimeSpan.FromSeconds(3), EstimatedRun = TimeSpan.FromSeconds(30) };
        yield return new JobTimings
        {
            Model = "mova-360p", Resolution = "640x352", FrameCount = 193, StartupMilliseconds = 120, EncodingMilliseconds = 900, MillisecondsPerStep = 800,
            DecodingMilliseconds = 15_000, MuxingMilliseconds = 2_000, UploadingMilliseconds = 300,
        };
        yield return new PhaseEstimate
        {
            StartupMilliseconds = 120, EncodingMilliseconds = 900, MillisecondsPerStep = 800, DecodingMilliseconds = 15_000, MuxingMilliseconds = 2_000,
            UploadingMilliseconds = 300, Samples = 4,
        };
        yield return new UsageRefund { JobId = "job-1", TenantId = "acme", Seconds = 8, ChargedOn = DateTimeOffset.UnixEpoch, Reason = "failed" };
        yield return new WorkAssignment { JobId = "job-1", Attempt = 3, TenantId = "acme", TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        yield return new QueueStatistics { Queued = 5, Running = 2, KnownWorkers = 3, MillisecondsPerStep = 100, Requeued = 1, Tenants = [new TenantQueueStatistics { TenantId = "acme", Queued = 5, Running = 2 }] };
        yield return new TenantQueueStatistics { TenantId = "acme", Queued = 1, Running = 1 };
        yield return new RegisteredWorker { Worker = Worker, LastHeartbeat = DateTimeOffset.UnixEpoch, RunningJobId = "job-1" };
        yield return new WorkerStatus
        {
            Worker = Worker, RunningJobId = "job-1", JobsRun = 12, Utilisation = [0, 0.25, 1], UtilisationBucket = TimeSpan.FromSeconds(20),
        };
        yield return Lora;
        yield return LoraContent;
        yield return LoraAdapter;
        yield return new LoraInspectionRequest { Scope = LoraScopes.Shared, SourceKind = LoraSourceKind.Path, Source = "/adapters/style", AlphaOverride = 4, MaxBytes = 1 << 30 };
        yield return new LoraInspection { Content = LoraContent, ErrorCode = "invalid_adapter", Error = "bad", ErrorKey = "video_dit.blocks.0.x.lora_A.weight" };
        yield return new LoraRegistration { Adapter = LoraAdapter, ErrorCode = "lora_name_taken", Error = "taken" };
        yield return new LoraDefaultSet { Entries = [new LoraDefaultEntry { Name = "watercolor", Strength = 0.5 }], Active = true };
        yield return new LoraDefaultEntry { Name = "watercolor", Strength = 0.5 };
        foreach (var item in Events())
        {
            yield return item;
        }
    }

    public static IEnumerable<JobEvent> Events()
    {
        var stamp = DateTimeOffset.UnixEpoch.AddMinutes(3);
        yield return new JobQueuedEvent { JobId = "job-1", Sequence = 1, Timestamp = stamp, Position = 2, EstimatedWait = TimeSpan.FromSeconds(9), Reason = JobQueuedEvent.WaitingForWorker, EstimatedRemaining = TimeSpan.FromSeconds(50) };
        yield return new JobStartedEvent { JobId = "job-1", Sequence = 2, Timestamp = stamp, WorkerId = "w", Attempt = 2, ResumedFromStep = 8, ModelName = "m" };
        yield return new JobPhaseEvent { JobId = "job-1", Sequence = 3, Timestamp = stamp, Phase = JobPhase.Decoding };
        yield return new JobStepEvent { JobId = "job-1", Sequence = 4, Timestamp = stamp, Step = 9, TotalSteps = 40, Phase = JobPhase.DenoisingLowNoise, MillisecondsPerStep = 800, EstimatedRemaining = TimeSpan.FromSeconds(24), Cache = Cache };
        yield return new JobPreviewEvent { JobId = "job-1", Sequence = 5, Timestamp = stamp, Step = 9, Image = [255, 216], ImageContentType = "image/jpeg", AudioEnvelope = [0.5f], AudioEnvelopeFramesPerSecond = 50 };
        yield return new JobCompletedEvent { JobId = "job-1", Sequence = 6, Timestamp = stamp, Clip = Clip };
        yield return new JobFailedEvent { JobId = "job-1", Sequence = 7, Timestamp = stamp, Error = "boom", Code = "no_worker_available" };
        yield return new JobCancelledEvent { JobId = "job-1", Sequence = 8, Timestamp = stamp, CompletedSteps = 9 };
    }
}
