using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovaCluster.Planning;

/// <summary>
/// Chooses (or checks the pinned) execution plan for the configured fleet once, and logs it with its prediction. The
/// model is the built-in MOVA architecture unless a <see cref="MovaArchitecture"/> is registered (for example one read
/// from the served checkpoint's configs).
/// </summary>
public sealed partial class ClusterPlanService
{
    private readonly IOptions<PlannerOptions> _options;
    private readonly Lazy<PlanPrediction> _active;

    public ClusterPlanService(IOptions<PlannerOptions> options, ILogger<ClusterPlanService> logger)
        : this(options, logger, MovaArchitecture.Mova)
    {
    }

    public ClusterPlanService(IOptions<PlannerOptions> options, ILogger<ClusterPlanService> logger, MovaArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(architecture);
        _options = options;
        Architecture = architecture;
        _active = new(() => Choose(options.Value, architecture, logger));
    }

    /// <summary>The model the plans are sized for.</summary>
    public MovaArchitecture Architecture { get; }

    /// <summary>The active plan; throws (naming why) when nothing fits the configured fleet.</summary>
    public PlanPrediction Active => _active.Value;

    public IReadOnlyList<PlanPrediction> Candidates() =>
        new ExecutionPlanner(new PlanEstimator(Architecture, _options.Value.Workload(), _options.Value.Hardware())).Candidates();

    private static PlanPrediction Choose(PlannerOptions options, MovaArchitecture architecture, ILogger logger)
    {
        var estimator = new PlanEstimator(architecture, options.Workload(), options.Hardware());
        var chosen = new ExecutionPlanner(estimator).Choose(options.Objective, options.Plan);
        LogPlanChosen(logger, chosen.Plan.Name, string.IsNullOrWhiteSpace(options.Plan) ? options.Objective.ToString() : "pinned", architecture.Name, options.GpuCount,
            estimator.Hardware.Device.Name, options.Resolution, chosen.JobsPerHour, chosen.JobLatencySeconds, chosen.PeakDeviceBytes / (double)(1L << 30), chosen.Replicas);
        return chosen;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Execution plan {Plan} ({Reason}) of {Model} for {GpuCount} x {Gpu} at {Resolution}: {JobsPerHour:F2} jobs/h and {LatencySeconds:F0} s per job predicted, peak {PeakGiB:F1} GiB per device, {Replicas} replica(s)")]
    private static partial void LogPlanChosen(ILogger logger, string plan, string reason, string model, int gpuCount, string gpu, string resolution,
        double jobsPerHour, double latencySeconds, double peakGiB, int replicas);
}
