namespace MovaCluster.Planning;

/// <summary>
/// Predicts, from first principles, what a plan needs and delivers on given hardware: memory per device (weights,
/// activations, encoders, decoders), latency of one job, and jobs per hour when the queue is never empty.
/// </summary>
public sealed class PlanEstimator(MovaArchitecture architecture, WorkloadShape workload, ClusterHardware hardware)
{
    private readonly StepCostModel _cost = new(architecture, workload);

    public StepCostModel Cost => _cost;

    public ClusterHardware Hardware => hardware;

    public PlanPrediction Predict(ExecutionPlan plan)
    {
        var layout = Layout(plan, out var rejection);
        if (layout is null)
        {
            return PlanPrediction.Rejected(plan, rejection!);
        }

        var replicas = hardware.GpuCount / plan.GpusPerReplica;
        var latency = UnloadedLatency(layout);
        var perReplica = layout.Residency == ExpertResidency.SwapAtSwitch
            ? layout.JobsInFlight / WaveSeconds(layout)
            : Math.Min(1 / BottleneckBusySeconds(layout), layout.JobsInFlight / latency);
        return new PlanPrediction
        {
            Plan = plan,
            Fits = true,
            Replicas = replicas,
            GpusUsed = replicas * plan.GpusPerReplica,
            PeakDeviceBytes = layout.DeviceBytes.Max(),
            JobLatencySeconds = latency,
            JobsPerHour = replicas * perReplica * 3600,
            Layout = layout,
        };
    }

    /// <summary>Lays one replica of the plan onto devices; null (with the reason) when it cannot run on this hardware.</summary>
    public ReplicaLayout? Layout(ExecutionPlan plan, out string? rejection)
    {
        var device = hardware.Device;
        var gpus = plan.GpusPerReplica;
        rejection = gpus > hardware.GpuCount ? $"needs {gpus} GPUs; the cluster has {hardware.GpuCount}"
            : gpus > hardware.GpusPerNode ? $"needs {gpus} GPUs in one node; nodes have {hardware.GpusPerNode}"
            : plan.CfgParallel && workload.PassesPerStep == 1 ? "CFG-parallel needs a guidance scale other than 1"
            : plan.PipelineStages > architecture.StackLayers ? $"the stack has only {architecture.StackLayers} layers"
            : null;
        if (rejection is not null)
        {
            return null;
        }

        var k = plan.PipelineStages;
        var layerFlops = Enumerable.Range(0, architecture.StackLayers).Select(_cost.LayerFlops).ToArray();
        var ranges = LayerPartitioner.Split(layerFlops, k);
        var stageSeconds = ranges.Select((r, s) => device.SecondsFor(layerFlops[r].Sum() + (s == 0 ? _cost.EdgeFlops() : 0))).ToArray();
        var expertBytes = ranges.Select(r => Sum(r, _cost.LayerExpertBytes)).ToArray();
        var sharedBytes = ranges.Select(r => Sum(r, _cost.LayerSharedBytes)).ToArray();
        var workingBytes = _cost.ActivationBytes() + (k > 1 ? 2 * _cost.HandOffBytes() : 0);

        long StageBytes(int stage, int experts) =>
            sharedBytes[stage] + (experts * expertBytes[stage]) + (stage == 0 ? _cost.EdgeBytes(experts) : 0) + workingBytes;

        ExpertResidency residency;
        if (plan.SplitExperts)
        {
            residency = ExpertResidency.OnePerGroup;
        }
        else if (Enumerable.Range(0, k).All(s => StageBytes(s, 2) <= device.MemoryBytes))
        {
            residency = ExpertResidency.BothResident;
        }
        else
        {
            residency = ExpertResidency.SwapAtSwitch;
        }

        var expertsHeld = residency == ExpertResidency.BothResident ? 2 : 1;
        var pipelines = (plan.SplitExperts ? 2 : 1) * (plan.CfgParallel ? 2 : 1);
        var deviceBytes = Enumerable.Range(0, pipelines * k).Select(d => StageBytes(d % k, expertsHeld)).ToArray();
        var fullest = Array.IndexOf(deviceBytes, deviceBytes.Max());
        if (deviceBytes[fullest] > device.MemoryBytes)
        {
            rejection = $"stage {fullest % k} needs {Gib(deviceBytes[fullest])} GiB (weights of layers {ranges[fullest % k]} plus activations); the device has {Gib(device.MemoryBytes)} GiB";
            return null;
        }

        var inFlight = (k > 1 ? k + 1 : 1) * (plan.SplitExperts ? 2 : 1);
        // With one job at a time the decoder reuses the denoiser's activation memory; with several in flight it cannot.
        var codecNeed = architecture.CodecBytes + (inFlight > 1 ? _cost.DecodeWorkspaceBytes() : Math.Max(0, _cost.DecodeWorkspaceBytes() - _cost.ActivationBytes()));
        var codecDevice = MostFree(deviceBytes, device.MemoryBytes, codecNeed);
        if (codecDevice < 0)
        {
            rejection = $"no device has {Gib(codecNeed)} GiB free for the video VAE and DAC";
            return null;
        }

        deviceBytes[codecDevice] += codecNeed;
        var textDevice = MostFree(deviceBytes, device.MemoryBytes, architecture.TextEncoderBytes);
        if (textDevice >= 0)
        {
            deviceBytes[textDevice] += architecture.TextEncoderBytes;
        }

        var textFlops = 2.0 * architecture.TextEncoderParameters * workload.TextTokens;
        var passes = workload.PassesPerStep / (plan.CfgParallel ? 2 : 1);
        return new ReplicaLayout
        {
            Plan = plan,
            StageLayers = ranges,
            StagePassSeconds = stageSeconds,
            HandOffSeconds = device.PeerSecondsFor(_cost.HandOffBytes()),
            StageSwapSeconds = expertBytes.Select(b => residency == ExpertResidency.SwapAtSwitch ? device.HostSecondsFor(b) : 0).ToArray(),
            Residency = residency,
            PassesPerPipeline = passes,
            DeviceBytes = deviceBytes,
            TextEncoderDevice = textDevice,
            TextEncodeSeconds = textDevice >= 0 ? device.SecondsFor(textFlops) : textFlops / (hardware.HostCpuTflops * 1e12),
            CodecDevice = codecDevice,
            VaeEncodeSeconds = device.SecondsFor(_cost.EncodeFlops() - textFlops),
            DecodeSeconds = device.SecondsFor(_cost.DecodeFlops()),
            HostTailSeconds = 0.5 + (workload.PixelFrames * 2.5e-8),
            JobsInFlight = residency == ExpertResidency.SwapAtSwitch ? Math.Max(2, k) : inFlight,
        };
    }

    /// <summary>One job through an otherwise idle replica.</summary>
    public double UnloadedLatency(ReplicaLayout layout)
    {
        var step = StepRoundTrip(layout);
        var swap = layout.StageSwapSeconds.Max();
        var handOver = layout.Plan.SplitExperts ? layout.HandOffSeconds : 0;
        return layout.TextEncodeSeconds + layout.VaeEncodeSeconds + (workload.EffectiveSteps * step) + swap + handOver + layout.DecodeSeconds + layout.HostTailSeconds;
    }

    /// <summary>A step's passes through the pipeline: the second CFG pass follows the first stage by stage.</summary>
    public double StepRoundTrip(ReplicaLayout layout)
    {
        var t = layout.StagePassSeconds;
        var exchange = layout.Plan.CfgParallel ? layout.HandOffSeconds / 64 : 0;
        return t.Sum() + ((layout.PassesPerPipeline - 1) * t.Max()) + (layout.Stages * layout.HandOffSeconds) + exchange;
    }

    /// <summary>
    /// Per job, the busiest stage group's time. The devices of a group (its pipeline stages and CFG copies) wait for
    /// each other every step, so encoder or decoder work on any one of them stalls the whole group.
    /// </summary>
    public double BottleneckBusySeconds(ReplicaLayout layout)
    {
        var groups = layout.Plan.SplitExperts ? 2 : 1;
        var devicesPerGroup = layout.DeviceBytes.Count / groups;
        var busy = new double[groups];
        for (var group = 0; group < groups; group++)
        {
            var steps = !layout.Plan.SplitExperts ? workload.Steps : group == 0 ? workload.HighNoiseSteps : workload.LowNoiseSteps;
            busy[group] = steps * workload.WorkFraction * layout.PassesPerPipeline * layout.StagePassSeconds.Max();
        }

        if (layout.TextEncoderDevice >= 0)
        {
            busy[layout.TextEncoderDevice / devicesPerGroup] += layout.TextEncodeSeconds;
        }

        busy[layout.CodecDevice / devicesPerGroup] += layout.VaeEncodeSeconds + layout.DecodeSeconds;
        return busy.Max();
    }

    /// <summary>Swap plans run jobs in waves that share the resident expert: encode all, denoise together, swap, decode all.</summary>
    public double WaveSeconds(ReplicaLayout layout)
    {
        var m = layout.JobsInFlight;
        var t = layout.StagePassSeconds;
        var cycle = Math.Max(m * layout.PassesPerPipeline * t.Max(), StepRoundTrip(layout));
        var textOnDevice = layout.TextEncoderDevice >= 0 ? layout.TextEncodeSeconds : 0;
        return (m * (textOnDevice + layout.VaeEncodeSeconds + layout.DecodeSeconds)) + (workload.EffectiveSteps * cycle) + (2 * layout.StageSwapSeconds.Max());
    }

    private static long Sum(Range range, Func<int, long> bytes)
    {
        long total = 0;
        for (var i = range.Start.Value; i < range.End.Value; i++)
        {
            total += bytes(i);
        }

        return total;
    }

    private static int MostFree(long[] used, long capacity, long need)
    {
        var best = -1;
        for (var d = 0; d < used.Length; d++)
        {
            if (capacity - used[d] >= need && (best < 0 || used[d] < used[best]))
            {
                best = d;
            }
        }

        return best;
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
