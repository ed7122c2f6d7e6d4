using MovaCluster.Contracts.Jobs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Pipeline;
using MovaCluster.Planning;

namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>
/// The cost-model device: no model and no arithmetic. A job's encode, every denoising pass of every pipeline stage,
/// the expert hand-over or swap, and the decode are booked on the replica's simulated GPUs for the times the
/// planner's <see cref="StepCostModel"/> gives (the same <see cref="ReplicaLayout"/> the prediction and the
/// simulator use), and the worker thread sleeps until each step's simulated end. It exists to run the real queue,
/// job and worker grains at the pace of a fleet of GPUs that is not there; its output is a placeholder frame.
/// </summary>
public sealed class CostModelGenerationExecutor : IGenerationExecutor
{
    public const string ModelName = "cost-model device (no compute; simulated timing)";

    private readonly MovaArchitecture _architecture;
    private readonly CostModelExecutorOptions _options;
    private readonly SimulatedReplicaTimeline _timeline;
    private readonly ExecutionPlan _plan;
    private readonly Dictionary<WorkloadShape, ReplicaLayout> _layouts = [];

    public CostModelGenerationExecutor(MovaArchitecture architecture, CostModelExecutorOptions options, SimulatedReplicaTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeline);
        _architecture = architecture;
        _options = options;
        _timeline = timeline;
        _plan = ExecutionPlan.Parse(options.Plan);
        Description = new ExecutorDescription
        {
            ModelName = ModelName,
            OutputIsNoise = true,
            MaxVolume = options.MaxVolume,
            MemoryBytes = DeviceCatalog.ForMemoryTier(options.GpuMemoryGb).MemoryBytes,
            Shards = [$"{_plan.Name} on {_plan.GpusPerReplica} x {DeviceCatalog.ForMemoryTier(options.GpuMemoryGb).Name} (simulated)"],
        };
    }

    public ExecutorDescription Description { get; }

    /// <summary>The simulated GPUs of this executor's replica (shared with the replica's other job slots).</summary>
    public SimulatedReplicaTimeline Timeline => _timeline;

    /// <summary>The layout (stage times, devices of the codecs and text encoder) this device books for a job of this shape.</summary>
    public ReplicaLayout LayoutFor(WorkloadShape workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (!_layouts.TryGetValue(workload, out var layout))
        {
            var hardware = new ClusterHardware(DeviceCatalog.ForMemoryTier(_options.GpuMemoryGb), _plan.GpusPerReplica, _options.GpusPerNode);
            layout = new PlanEstimator(_architecture, workload, hardware).Layout(_plan, out var rejection)
                ?? throw new InvalidOperationException($"Plan '{_plan}' cannot run a {workload.Width}x{workload.Height}x{workload.Frames} job here: {rejection}.");
            _layouts[workload] = layout;
        }

        return layout;
    }

    public GenerationOutput Execute(GenerationJob job, IGenerationObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(observer);
        if (job.Request.Loras.Count > 0)
        {
            throw new NotSupportedException("The cost-model device models no LoRA adapters.");
        }

        var workload = new WorkloadShape("job", job.Request.Width, job.Request.Height, job.Request.FrameCount, job.Request.FramesPerSecond, job.Request.Steps, job.Request.GuidanceScale);
        var layout = LayoutFor(workload);
        var highNoiseSteps = workload.HighNoiseSteps;
        var firstStep = job.ResumeFrom?.CompletedSteps ?? 0;
        using var highNoiseGroup = _plan.SplitExperts && firstStep < highNoiseSteps
            ? _timeline.EnterHighNoiseGroup(Math.Max(1, layout.JobsInFlight / 2), cancellationToken)
            : null;
        observer.OnPhase(GenerationPhase.Encoding);
        var t = _timeline.Now;
        t = layout.TextEncoderDevice >= 0 ? _timeline.Book(layout.TextEncoderDevice, t, layout.TextEncodeSeconds) : t + layout.TextEncodeSeconds;
        t = _timeline.Book(layout.CodecDevice, t, layout.VaeEncodeSeconds);
        _timeline.WaitUntil(t, cancellationToken);

        VideoExpert? phase = null;
        for (var step = firstStep; step < job.Request.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var expert = step < highNoiseSteps ? VideoExpert.HighNoise : VideoExpert.LowNoise;
            if (expert == VideoExpert.LowNoise)
            {
                highNoiseGroup?.Dispose();
            }

            if (expert != phase)
            {
                phase = expert;
                observer.OnPhase(expert == VideoExpert.HighNoise ? GenerationPhase.DenoisingHighNoise : GenerationPhase.DenoisingLowNoise);
            }

            var stepStart = t;
            t = BookStep(layout, expert, step == highNoiseSteps, t);
            _timeline.WaitUntil(t, cancellationToken);
            observer.OnStep(new CostModelStepState(step + 1, job.Request.Steps, expert, t - stepStart, _timeline.Compression));
        }

        cancellationToken.ThrowIfCancellationRequested();
        observer.OnPhase(GenerationPhase.Decoding);
        t = _timeline.Book(layout.CodecDevice, t, layout.DecodeSeconds) + layout.HostTailSeconds;
        _timeline.WaitUntil(t, cancellationToken);
        return Placeholder(job.Request);
    }

    public void Dispose()
    {
        // Nothing is held: the timeline belongs to the factory.
    }

    // One step's passes: every CFG copy's pipeline, every pass through every stage, booked in stage order; the step
    // ends when the last pass leaves the last stage (plus the expert hand-over and the CFG exchange). Swap plans copy
    // the new expert into every stage at once when the resident one changes.
    private double BookStep(ReplicaLayout layout, VideoExpert expert, bool firstLowNoiseStep, double ready)
    {
        var expertIndex = expert == VideoExpert.HighNoise ? 0 : 1;
        var group = _plan.SplitExperts ? expertIndex : 0;
        var copies = _plan.CfgParallel ? 2 : 1;
        var handOff = layout.Stages > 1 ? layout.HandOffSeconds : 0;
        if (layout.Residency == ExpertResidency.SwapAtSwitch)
        {
            for (var copy = 0; copy < copies; copy++)
            {
                for (var stage = 0; stage < layout.Stages; stage++)
                {
                    _timeline.MakeResident(layout.DeviceOf((group * copies) + copy, stage), expertIndex, ready, layout.StageSwapSeconds[stage]);
                }
            }
        }

        var end = ready;
        for (var copy = 0; copy < copies; copy++)
        {
            for (var pass = 0; pass < layout.PassesPerPipeline; pass++)
            {
                var at = ready;
                for (var stage = 0; stage < layout.Stages; stage++)
                {
                    at = _timeline.Book(layout.DeviceOf((group * copies) + copy, stage), at, layout.StagePassSeconds[stage]) + handOff;
                }

                end = Math.Max(end, at);
            }
        }

        var extra = (_plan.SplitExperts && firstLowNoiseStep ? layout.HandOffSeconds : 0) + (_plan.CfgParallel ? layout.HandOffSeconds / 64 : 0);
        return end + extra;
    }

    // One mid-grey frame and a short silence: the cost-model device computes nothing worth publishing.
    private static GenerationOutput Placeholder(GenerationRequest request)
    {
        var pixels = new byte[checked(request.Width * request.Height * 3)];
        Array.Fill(pixels, (byte)128);
        return new GenerationOutput
        {
            Width = request.Width,
            Height = request.Height,
            FramesPerSecond = request.FramesPerSecond,
            VideoFrames = [pixels],
            AudioSamples = new float[Math.Max(1, (int)(16000 / (double)request.FramesPerSecond))],
            AudioSampleRate = 16000,
            AudioChannels = 1,
        };
    }
}
