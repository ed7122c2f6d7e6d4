namespace MovaCluster.Model.Planning.Simulation;

/// <summary>
/// Runs a plan on simulated cost-model devices: every replica of the cluster takes jobs from one full queue; each job
/// encodes, runs every denoising step as real per-stage tasks (CFG passes, pipeline hand-offs, expert swaps, contention
/// with the encoders and decoders on shared devices), decodes and muxes. Stage times carry random jitter. Nothing is
/// computed: this is for capacity planning, never for serving.
/// </summary>
public sealed class PlanSimulator(PlanEstimator estimator, int seed = 1, double jitter = 0.03)
{
    public SimulationResult Run(ExecutionPlan plan, int jobsPerReplica = 30)
    {
        var layout = estimator.Layout(plan, out var rejection)
            ?? throw new InvalidOperationException($"Plan '{plan}' does not fit: {rejection}.");
        var replicas = estimator.Hardware.GpuCount / plan.GpusPerReplica;
        var clock = new EventClock();
        var random = new Random(seed);
        var workload = estimator.Cost.Workload;
        var pending = replicas * jobsPerReplica;
        var total = pending;
        var completions = new List<double>();
        var latencies = new List<double>();
        var devices = new List<SimulatedDevice[]>();
        var admitters = new List<Func<bool>>();
        long nextJob = 0;

        // One shared queue: replicas with room take jobs in turn, one at a time, so no replica hoards the queue.
        void Dispatch()
        {
            var progress = true;
            while (pending > 0 && progress)
            {
                progress = false;
                foreach (var admitOne in admitters)
                {
                    progress |= pending > 0 && admitOne();
                }
            }
        }

        double Jitter(double seconds) => seconds * Math.Exp(jitter * NextGaussian(random));

        for (var r = 0; r < replicas; r++)
        {
            var replicaDevices = Enumerable.Range(0, layout.DeviceBytes.Count).Select(_ => new SimulatedDevice(clock)).ToArray();
            devices.Add(replicaDevices);
            var inFlight = 0;
            var inHighGroup = 0;
            var waves = layout.Residency == ExpertResidency.SwapAtSwitch;
            var waveOpen = true;

            bool AdmitOne()
            {
                // Swap plans run waves: a replica takes a new wave only once the previous one has fully drained.
                // Expert-stage plans feed the high-noise group only as fast as it frees up, or jobs convoy between the groups.
                if (inFlight >= layout.JobsInFlight || (waves && !waveOpen) || (plan.SplitExperts && inHighGroup >= layout.JobsInFlight / 2))
                {
                    return false;
                }

                pending--;
                inFlight++;
                inHighGroup++;
                waveOpen = !waves || inFlight < layout.JobsInFlight;
                StartJob();
                return true;
            }

            admitters.Add(AdmitOne);

            void StartJob()
            {
                var started = clock.Now;
                var job = nextJob++;

                void Finish()
                {
                    completions.Add(clock.Now);
                    latencies.Add(clock.Now - started);
                    inFlight--;
                    waveOpen |= inFlight == 0;
                    Dispatch();
                }

                void Decode() => replicaDevices[layout.CodecDevice].Run(job, Jitter(layout.DecodeSeconds), () => clock.After(layout.HostTailSeconds, Finish));

                void Step(int step)
                {
                    if (step == workload.Steps)
                    {
                        Decode();
                        return;
                    }

                    var expert = step < workload.HighNoiseSteps ? 0 : 1;
                    if (step == workload.HighNoiseSteps)
                    {
                        inHighGroup--;
                        Dispatch();
                    }

                    var group = plan.SplitExperts ? expert : 0;
                    var copies = plan.CfgParallel ? 2 : 1;
                    var outstanding = copies * layout.PassesPerPipeline;
                    var extra = (plan.SplitExperts && step == workload.HighNoiseSteps ? layout.HandOffSeconds : 0)
                        + (plan.CfgParallel ? layout.HandOffSeconds / 64 : 0);

                    void PassDone()
                    {
                        if (--outstanding == 0)
                        {
                            clock.After(extra, () => Step(step + 1));
                        }
                    }

                    for (var copy = 0; copy < copies; copy++)
                    {
                        for (var pass = 0; pass < layout.PassesPerPipeline; pass++)
                        {
                            RunStage((group * copies) + copy, 0, expert, PassDone);
                        }
                    }
                }

                void RunStage(int pipeline, int stage, int expert, Action done)
                {
                    var device = replicaDevices[layout.DeviceOf(pipeline, stage)];
                    if (layout.Residency == ExpertResidency.SwapAtSwitch && device.ResidentExpert != expert)
                    {
                        device.ResidentExpert = expert;
                        device.Run(job, layout.StageSwapSeconds[stage], () => { });
                    }

                    device.Run(job, Jitter(layout.StagePassSeconds[stage]), () =>
                    {
                        var handOff = layout.Stages > 1 ? layout.HandOffSeconds : 0;
                        clock.After(handOff, stage + 1 < layout.Stages ? () => RunStage(pipeline, stage + 1, expert, done) : done);
                    });
                }

                void Encode() => replicaDevices[layout.CodecDevice].Run(job, Jitter(layout.VaeEncodeSeconds), () => Step(0));

                if (layout.TextEncoderDevice >= 0)
                {
                    replicaDevices[layout.TextEncoderDevice].Run(job, Jitter(layout.TextEncodeSeconds), Encode);
                }
                else
                {
                    clock.After(layout.TextEncodeSeconds, Encode);
                }
            }

        }

        clock.At(0, Dispatch);

        clock.RunToEnd();
        completions.Sort();
        var makespan = completions[^1];
        // Steady state: after every replica's first round of in-flight jobs, before the queue runs dry.
        var round = replicas * layout.JobsInFlight;
        var from = round - 1;
        var to = total - round - 1;
        var jobsPerSecond = to > from && completions[to] > completions[from]
            ? (to - from) / (completions[to] - completions[from])
            : total / makespan;
        var busy = devices.SelectMany(d => d).Average(d => d.BusySeconds);
        return new SimulationResult(plan, total, jobsPerSecond * 3600, latencies.Average(), busy / makespan, makespan);
    }

    private static double NextGaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
