using System.Collections.Concurrent;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The step and block cache of one sampling run: the settings, the executor's TeaCache polynomials, one
/// <see cref="BranchCache"/> per CFG branch, the latents that entered each branch's anchor step (what a checkpoint needs
/// to rebuild the cache), per-step records and the job's totals. Created by the sampler; on resume it restores the
/// checkpointed scalars and reruns each anchor pass so the cache holds exactly what the uninterrupted run held.
/// </summary>
internal sealed class SamplingCache : IDisposable
{
    private readonly BranchCache _positive;
    private readonly BranchCache? _negative;
    private readonly TeaCacheCoefficients? _teaCache;
    private readonly Dictionary<int, (torch.Tensor Video, torch.Tensor Audio)> _anchors = [];
    private readonly ConcurrentDictionary<(int, int), CacheLayout> _layouts = new();
    private readonly List<CacheStepRecord> _records = [];
    private CacheTotals _totals = CacheTotals.Zero;

    private SamplingCache(CacheSettings settings, TeaCacheCoefficients? teaCache, CacheCalibrationRecorder? recorder, int totalSteps, bool useCfg)
    {
        Settings = settings;
        _teaCache = teaCache;
        Recorder = recorder;
        TotalSteps = totalSteps;
        _positive = new BranchCache(this, CfgBranch.Positive);
        _negative = useCfg ? new BranchCache(this, CfgBranch.Negative) : null;
    }

    public CacheSettings Settings { get; }

    public CacheCalibrationRecorder? Recorder { get; }

    public int TotalSteps { get; }

    /// <summary>The record of the step completed last.</summary>
    public CacheStepRecord? LastRecord { get; private set; }

    private IEnumerable<BranchCache> Branches => _negative is null ? [_positive] : [_positive, _negative];

    /// <summary>
    /// The run's cache (null when the options ask for none), restored from <paramref name="resume"/> and rebuilt by
    /// rerunning its anchor passes on <paramref name="executor"/>.
    /// </summary>
    public static SamplingCache? Start(
        IStepExecutor executor,
        SamplingRequest request,
        SamplerOptions options,
        FlowMatchPairSchedule schedule,
        IReadOnlyList<VideoExpert> experts,
        SamplerState? resume,
        CancellationToken cancellationToken)
    {
        var settings = options.Cache;
        if (options.CacheCalibration is not null)
        {
            if (settings is not null && !settings.NeverSkips)
            {
                throw new ArgumentException("Calibration records uncached runs: run it with the cache off (or thresholds of 0).", nameof(options));
            }

            settings = CacheSettings.Exact;
            options.CacheCalibration.BeginRun();
        }

        if (settings is null)
        {
            if (resume?.Cache is not null)
            {
                throw new ArgumentException("The resume state was made by a cached run; resume it with the same cache settings.", nameof(resume));
            }

            return null;
        }

        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid cache settings: {string.Join(" ", errors)}", nameof(options));
        }

        if (executor is not ICachingStepExecutor caching)
        {
            throw new NotSupportedException(
                $"The step executor {executor.GetType().Name} cannot run the step and block cache (cache '{settings.Name}'); run the job with the cache off or on a single-device executor.");
        }

        var cache = new SamplingCache(settings, caching.TeaCache, options.CacheCalibration, schedule.Count, options.CfgScale != 1.0);
        try
        {
            if (resume is not null)
            {
                cache.Resume(caching, request, schedule, experts, resume, cancellationToken);
            }

            return cache;
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>True when the step level runs for <paramref name="expert"/> (a threshold, and a polynomial unless it is 0).</summary>
    public bool StepLevelActive(VideoExpert expert) =>
        Settings.StepThreshold is { } threshold && (threshold == 0 || _teaCache?.For(expert) is not null);

    /// <summary>The rescaled change (the raw change when the threshold is 0 and there is no polynomial).</summary>
    public double Rescale(VideoExpert expert, double change) => _teaCache?.For(expert) is { } polynomial ? polynomial.Rescale(change) : change;

    /// <summary>The layout of a stack (thread-safe: a CFG-parallel executor runs the two branches' passes at once).</summary>
    public CacheLayout LayoutFor(int layerCount, int sharedLayerCount) =>
        _layouts.GetOrAdd(
            (layerCount, sharedLayerCount),
            key => CacheLayout.For(key.Item1, key.Item2, Settings.FirstLayers, Settings.LastLayers, Settings.BlockThreshold is not null));

    public StepCache ForStep(int step, VideoExpert expert, bool rebuild = false)
    {
        if (!rebuild)
        {
            foreach (var branch in Branches)
            {
                branch.BeginStep();
            }
        }

        return new StepCache(this, step, TotalSteps, expert, rebuild, _positive, _negative);
    }

    /// <summary>
    /// Closes a step: keeps a copy of the latents that entered it when a branch anchored there, drops anchors no branch
    /// needs any more and records what the passes did.
    /// </summary>
    public CacheStepRecord Complete(int step, VideoExpert expert, torch.Tensor video, torch.Tensor audio)
    {
        if (Branches.Any(b => b.AnchorStep == step) && !_anchors.ContainsKey(step))
        {
            _anchors[step] = (video.clone().DetachFromDisposeScope(), audio.clone().DetachFromDisposeScope());
        }

        foreach (var stale in _anchors.Keys.Where(s => Branches.All(b => b.AnchorStep != s)).ToList())
        {
            _anchors.Remove(stale, out var latents);
            latents.Video.Dispose();
            latents.Audio.Dispose();
        }

        var record = new CacheStepRecord(
            step,
            expert,
            _positive.LastPass ?? throw new InvalidOperationException($"Step {step} ran no cached positive pass: the executor ignored the step cache."),
            _negative is null ? null : _negative.LastPass ?? throw new InvalidOperationException($"Step {step} ran no cached negative pass."));
        _records.Add(record);
        _totals = _totals.Add(record);
        LastRecord = record;
        return record;
    }

    /// <summary>A copy of what a checkpoint after the completed steps needs (the caller disposes it).</summary>
    public CacheCheckpoint Checkpoint() =>
        new(
            Settings,
            Enum.GetValues<VideoExpert>().Where(StepLevelActive).Where(e => _teaCache?.For(e) is not null).ToDictionary(e => e, e => _teaCache!.For(e)!.Fingerprint),
            _totals,
            [.. Branches.Select(b => b.Snapshot())],
            _anchors.ToDictionary(p => p.Key, p => (p.Value.Video.clone().DetachFromDisposeScope(), p.Value.Audio.clone().DetachFromDisposeScope())));

    public CacheReport Report() =>
        new(
            Settings,
            [.. Enum.GetValues<VideoExpert>().Where(e => Settings.StepThreshold > 0 && !StepLevelActive(e))],
            _totals,
            [.. _records]);

    public void Dispose()
    {
        foreach (var branch in Branches)
        {
            branch.Dispose();
        }

        foreach (var (video, audio) in _anchors.Values)
        {
            video.Dispose();
            audio.Dispose();
        }

        _anchors.Clear();
    }

    private void Resume(
        ICachingStepExecutor executor,
        SamplingRequest request,
        FlowMatchPairSchedule schedule,
        IReadOnlyList<VideoExpert> experts,
        SamplerState resume,
        CancellationToken cancellationToken)
    {
        var checkpoint = resume.Cache;
        if (checkpoint is null)
        {
            if (resume.NextStep == 0)
            {
                return;
            }

            throw new ArgumentException(
                $"The resume state (step {resume.NextStep}) has no cache state but the run asks for cache '{Settings.Name}'; resume a cached job from a state its cached run wrote.",
                nameof(resume));
        }

        if (checkpoint.Settings != Settings)
        {
            throw new ArgumentException(
                $"The resume state was made with cache settings {checkpoint.Settings} but the run asks for {Settings}; resume with the settings the job started with.",
                nameof(resume));
        }

        foreach (var expert in Enum.GetValues<VideoExpert>().Where(StepLevelActive))
        {
            var used = checkpoint.TeaCache.GetValueOrDefault(expert);
            var now = _teaCache?.For(expert)?.Fingerprint;
            if (used != now)
            {
                throw new ArgumentException(
                    $"The resume state used other TeaCache coefficients for {MovaDenoiserLoader.ExpertFolder(expert)} than this executor has; resume on a worker with the same teacache.json.",
                    nameof(resume));
            }
        }

        _totals = checkpoint.Totals;
        var device = resume.VideoLatents.device;
        foreach (var state in checkpoint.Branches)
        {
            var branch = state.Branch == CfgBranch.Positive ? _positive : _negative;
            branch?.Restore(state, device);
        }

        var next = resume.NextStep;
        if (next >= schedule.Count)
        {
            return;
        }

        // Only branches still on the expert of the next step keep their cache; the others reset at their next pass.
        var rebuild = Branches.Where(b => b.AnchorStep >= 0 && b.Expert == experts[next]).GroupBy(b => b.AnchorStep);
        foreach (var group in rebuild)
        {
            var anchor = group.Key;
            if (!checkpoint.Anchors.TryGetValue(anchor, out var latents))
            {
                throw new ArgumentException($"The resume state's cache lacks the latents of anchor step {anchor}.", nameof(resume));
            }

            var video = latents.Video.to(torch.ScalarType.Float32, device, copy: true).DetachFromDisposeScope();
            var audio = latents.Audio.to(torch.ScalarType.Float32, device, copy: true).DetachFromDisposeScope();
            _anchors[anchor] = (video, audio);
            using var scope = torch.NewDisposeScope();
            var stepRequest = MovaSampler.StepRequestFor(request, schedule, experts[anchor], anchor, _negative is not null, video, audio) with
            {
                Cache = ForStep(anchor, experts[anchor], rebuild: true),
            };
            foreach (var branch in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var velocity = executor.EvaluatePass(stepRequest, branch.Branch, cancellationToken);
            }
        }
    }
}
