using System.Globalization;
using System.Text;
using MovaCluster.Model.Planning;
using MovaCluster.Model.Planning.Simulation;

/// <summary>Runs the planner and the simulator over a grid of GPU counts and memory tiers.</summary>
internal sealed class CapacityReport(MovaArchitecture architecture)
{
    public List<CapacityRow> Run(IEnumerable<WorkloadShape> workloads, IEnumerable<int> gpuCounts, IEnumerable<int> memoryTiers)
    {
        var rows = new List<CapacityRow>();
        foreach (var workload in workloads)
        {
            foreach (var memory in memoryTiers)
            {
                foreach (var gpus in gpuCounts)
                {
                    rows.Add(Cell(workload, gpus, memory));
                }
            }
        }

        return rows;
    }

    private CapacityRow Cell(WorkloadShape workload, int gpus, int memory)
    {
        var estimator = new PlanEstimator(architecture, workload, new ClusterHardware(DeviceCatalog.ForMemoryTier(memory), gpus));
        var planner = new ExecutionPlanner(estimator);
        var simulator = new PlanSimulator(estimator);
        var fitting = planner.Candidates().Where(c => c.Fits).ToList();
        if (fitting.Count == 0)
        {
            var why = planner.Candidates().First(c => c.Plan.GpusPerReplica <= gpus).Rejection;
            return new CapacityRow(workload.Name, gpus, memory, null, null, null, null, 0, 0, why);
        }

        var worst = fitting.Max(c => Math.Abs((simulator.Run(c.Plan).JobsPerHour / c.JobsPerHour) - 1));
        var best = planner.Choose(PlannerObjective.Throughput);
        var fastest = planner.Choose(PlannerObjective.Latency);
        return new CapacityRow(workload.Name, gpus, memory, best, simulator.Run(best.Plan), fastest, simulator.Run(fastest.Plan, jobsPerReplica: 1), fitting.Count, worst, null);
    }

    /// <summary>Every candidate plan for one cell: fit, memory, prediction and simulation.</summary>
    public static string CandidatesMarkdown(MovaArchitecture architecture, WorkloadShape workload, int gpus, int memory)
    {
        var estimator = new PlanEstimator(architecture, workload, new ClusterHardware(DeviceCatalog.ForMemoryTier(memory), gpus));
        var simulator = new PlanSimulator(estimator);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{workload.Name} on {gpus} x {memory} GB");
        text.AppendLine("| plan | replicas | peak GiB | residency | in flight | predicted jobs/h | simulated jobs/h | error | predicted s/job | simulated s/job (unloaded) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in new ExecutionPlanner(estimator).Candidates())
        {
            if (!c.Fits)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Plan} | rejected: {c.Rejection} | | | | | | | | |");
                continue;
            }

            var loaded = simulator.Run(c.Plan);
            var unloaded = simulator.Run(c.Plan, jobsPerReplica: 1);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Plan} | {c.Replicas} | {c.PeakDeviceBytes / (double)(1L << 30):F1} | {c.Layout!.Residency} | {c.Layout.JobsInFlight} | {c.JobsPerHour:F2} | {loaded.JobsPerHour:F2} | {(loaded.JobsPerHour / c.JobsPerHour) - 1:+0.0%;-0.0%} | {c.JobLatencySeconds:F0} | {unloaded.MeanLatencySeconds:F0} |");
        }

        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<CapacityRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | GPUs | GB | throughput plan | predicted jobs/h | simulated jobs/h | error | latency plan | predicted s/job | simulated s/job | plans that fit | worst error, any fitting plan |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            if (r.Best is null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Workload} | {r.Gpus} | {r.MemoryGb} | none fits: {r.Rejection} | | | | | | | 0 | |");
                continue;
            }

            var error = (r.Simulated!.JobsPerHour / r.Best.JobsPerHour) - 1;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Workload} | {r.Gpus} | {r.MemoryGb} | {r.Best.Plan} x{r.Best.Replicas} | {r.Best.JobsPerHour:F2} | {r.Simulated.JobsPerHour:F2} | {error:+0.0%;-0.0%} | {r.Fastest!.Plan} | {r.Fastest.JobLatencySeconds:F0} | {r.FastestSimulated!.MeanLatencySeconds:F0} | {r.FittingPlans} | {r.WorstCandidateError:0.0%} |");
        }

        return text.ToString();
    }
}
