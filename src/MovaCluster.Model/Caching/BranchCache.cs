using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The cache of one CFG branch of one job. The positive and negative passes see different text contexts, so their
/// residuals differ and each branch keeps its own: the stack residual (step level), the first layers' residual of the
/// last full pass (the block level's reference) and the residual of every cached span, all from the branch's last full
/// pass (<see cref="AnchorStep"/>), plus the step level's previous time modulation and accumulated change. A change of
/// expert drops everything (the residuals are functions of the expert's weights). <see cref="CachedPass"/> drives it.
/// </summary>
public sealed class BranchCache : IDisposable
{
    private readonly SamplingCache _job;
    private readonly Dictionary<int, TowerResidual> _spans = [];
    private readonly Dictionary<int, TowerResidual> _stagedSpans = [];
    private torch.Tensor? _signalVideo;
    private torch.Tensor? _signalAudio;
    private TowerResidual? _stepResidual;
    private TowerResidual? _reference;
    private (double Video, double Audio) _referenceNorm;
    private TowerResidual? _stagedReference;
    private double? _signalChange;
    private double? _blockChange;
    private double? _stepChange;

    internal BranchCache(SamplingCache job, CfgBranch branch)
    {
        _job = job;
        Branch = branch;
    }

    public CfgBranch Branch { get; }

    /// <summary>The expert whose residuals this branch holds (null before its first pass).</summary>
    public VideoExpert? Expert { get; private set; }

    /// <summary>The step of the branch's last full pass, where every cached tensor comes from (−1 when none).</summary>
    public int AnchorStep { get; private set; } = -1;

    /// <summary>The step level's accumulated rescaled change since the last full pass.</summary>
    public double Accumulated { get; private set; }

    /// <summary>Passes since the last full pass.</summary>
    public int ConsecutiveReuses { get; private set; }

    /// <summary>The branch's latest pass (null before the first).</summary>
    public CachePassRecord? LastPass { get; private set; }

    /// <summary>Forgets the previous step's pass, so a step whose executor ignored the cache is caught.</summary>
    internal void BeginStep() => LastPass = null;

    internal CacheBranchState Snapshot() =>
        new(Branch, Expert, AnchorStep, Accumulated, ConsecutiveReuses, Copy(_signalVideo), Copy(_signalAudio));

    internal void Restore(CacheBranchState state, torch.Device device)
    {
        Reset();
        Expert = state.Expert;
        AnchorStep = state.AnchorStep;
        Accumulated = state.Accumulated;
        ConsecutiveReuses = state.ConsecutiveReuses;
        _signalVideo = state.SignalVideo?.to(device, copy: true).DetachFromDisposeScope();
        _signalAudio = state.SignalAudio?.to(device, copy: true).DetachFromDisposeScope();
    }

    /// <summary>Starts a pass: a new expert drops the branch's cache; a rebuild pass keeps the restored scalars.</summary>
    internal void Begin(StepCache step)
    {
        DisposeStaged();
        _signalChange = null;
        _blockChange = null;
        _stepChange = null;
        if (step.Rebuild)
        {
            if (Expert != step.Expert)
            {
                throw new InvalidOperationException($"Rebuilding the {Branch} cache of {Expert} with {step.Expert}.");
            }

            return;
        }

        if (Expert != step.Expert)
        {
            Reset();
            Expert = step.Expert;
        }
    }

    /// <summary>
    /// Step level: accumulates the rescaled change of the time modulation since the previous step and says whether the
    /// whole pass may be replaced by the stack residual of the last full pass.
    /// </summary>
    internal bool DecideStep(StepCache step, DualTowerConditioning conditioning)
    {
        if (step.Rebuild || !_job.StepLevelActive(step.Expert))
        {
            return false;
        }

        double? change = _signalVideo is null || _signalAudio is null
            ? null
            : Math.Max(RelativeL1.Change(conditioning.VideoTMod, _signalVideo), RelativeL1.Change(conditioning.AudioTMod, _signalAudio));
        _signalVideo?.Dispose();
        _signalAudio?.Dispose();
        _signalVideo = conditioning.VideoTMod.clone().DetachFromDisposeScope();
        _signalAudio = conditioning.AudioTMod.clone().DetachFromDisposeScope();
        _signalChange = change;
        if (change is { } c)
        {
            Accumulated += _job.Rescale(step.Expert, c);
        }

        _stepChange = Accumulated;
        return change is not null && _stepResidual is not null && !Forced(step) && Accumulated < _job.Settings.StepThreshold!.Value;
    }

    /// <summary>The pass's output tokens from its input tokens and the cached stack residual.</summary>
    internal DualTowerActivations ApplyStepResidual(DualTowerActivations input) => _stepResidual!.AddTo(input);

    /// <summary>
    /// Block level: compares the first layers' residual with the reference of the last full pass and says whether the
    /// cached spans may be reused. When they may not, the new residual becomes the staged reference and the old span
    /// residuals are released (the pass recomputes them).
    /// </summary>
    internal bool DecideBlocks(StepCache step, CacheLayout layout, DualTowerActivations input, DualTowerActivations signalOutput)
    {
        var residual = TowerResidual.Between(input, signalOutput, withAudio: true);
        double? change = _reference is null
            ? null
            : Math.Max(
                RelativeL1.Change(residual.Video, _reference.Video, _referenceNorm.Video),
                RelativeL1.Change(residual.Audio!, _reference.Audio!, _referenceNorm.Audio));
        _blockChange = change;
        var cachedSpans = layout.Spans.Count(s => s.Cached);
        var reuse = !step.Rebuild
            && change is not null
            && _spans.Count == cachedSpans
            && !Forced(step)
            && change < _job.Settings.BlockThreshold!.Value;
        if (reuse)
        {
            residual.Dispose();
            return true;
        }

        _stagedReference = residual;
        DisposeSpans();
        return false;
    }

    /// <summary>Span output from span input and the span's cached residual.</summary>
    internal DualTowerActivations ApplySpan(LayerSpan span, DualTowerActivations input) => _spans[span.Start].AddTo(input);

    /// <summary>Keeps the residual of a cached span this full pass computed.</summary>
    internal void StageSpan(LayerSpan span, DualTowerActivations input, DualTowerActivations output)
    {
        _stagedSpans.Remove(span.Start, out var old);
        old?.Dispose();
        _stagedSpans[span.Start] = TowerResidual.Between(input, output, span.HasAudio);
    }

    /// <summary>Ends a full pass: its residuals become the branch's cache and this step its anchor.</summary>
    internal void CommitFull(StepCache step, DualTowerActivations input, DualTowerActivations output, int layerCount)
    {
        if (_job.StepLevelActive(step.Expert))
        {
            var residual = TowerResidual.Between(input, output, withAudio: true);
            if (!step.Rebuild && _job.Recorder is { } recorder && _signalChange is { } x && _stepResidual is not null)
            {
                var y = Math.Max(RelativeL1.Change(residual.Video, _stepResidual.Video), RelativeL1.Change(residual.Audio!, _stepResidual.Audio!));
                recorder.Add(new CacheCalibrationSample(step.Expert, step.Step, step.TotalSteps, Branch, x, y, _blockChange));
            }

            _stepResidual?.Dispose();
            _stepResidual = residual;
        }

        if (_stagedReference is not null)
        {
            _reference?.Dispose();
            _reference = _stagedReference;
            _referenceNorm = (RelativeL1.Norm(_reference.Video), RelativeL1.Norm(_reference.Audio!));
            _stagedReference = null;
            DisposeSpans();
            foreach (var (start, residual) in _stagedSpans)
            {
                _spans[start] = residual;
            }

            _stagedSpans.Clear();
        }

        AnchorStep = step.Step;
        if (!step.Rebuild)
        {
            Accumulated = 0;
            ConsecutiveReuses = 0;
            LastPass = new CachePassRecord(CachePassOutcome.Computed, layerCount, layerCount, _stepChange, _blockChange);
        }
    }

    /// <summary>Ends a pass that reused the step residual or the cached spans.</summary>
    internal void CommitReuse(CachePassOutcome outcome, int layersComputed, int layerCount)
    {
        DisposeStaged();
        ConsecutiveReuses++;
        LastPass = new CachePassRecord(outcome, layersComputed, layerCount, _stepChange, _blockChange);
    }

    public void Dispose()
    {
        Reset();
        DisposeStaged();
    }

    private bool Forced(StepCache step) =>
        step.Step < _job.Settings.WarmupSteps
        || step.Step >= step.TotalSteps - _job.Settings.FinalSteps
        || (_job.Settings.MaxConsecutiveReuses is { } cap && ConsecutiveReuses >= cap);

    private void Reset()
    {
        _signalVideo?.Dispose();
        _signalAudio?.Dispose();
        _signalVideo = null;
        _signalAudio = null;
        _stepResidual?.Dispose();
        _stepResidual = null;
        _reference?.Dispose();
        _reference = null;
        DisposeSpans();
        Expert = null;
        AnchorStep = -1;
        Accumulated = 0;
        ConsecutiveReuses = 0;
    }

    private void DisposeSpans()
    {
        foreach (var residual in _spans.Values)
        {
            residual.Dispose();
        }

        _spans.Clear();
    }

    private void DisposeStaged()
    {
        _stagedReference?.Dispose();
        _stagedReference = null;
        foreach (var residual in _stagedSpans.Values)
        {
            residual.Dispose();
        }

        _stagedSpans.Clear();
    }

    private static torch.Tensor? Copy(torch.Tensor? tensor) => tensor?.clone().DetachFromDisposeScope();
}
