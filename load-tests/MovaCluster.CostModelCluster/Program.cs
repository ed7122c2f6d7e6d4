using System.Globalization;
using MovaCluster.CostModelCluster;
using MovaCluster.Planning;

// Usage: dotnet run -c Release -- [output folder] [--real-latency SECONDS] [--rounds N] [--only 360p|720p] [--headline-only | --grid-only | --latency-plans] [--cell 360p|720p GPUS GB]
var output = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !double.TryParse(a, CultureInfo.InvariantCulture, out _))
    ?? Path.Combine(Directory.GetCurrentDirectory(), "results");
double Option(string name, double fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

var realLatency = Option("--real-latency", 2.5);
var rounds = (int)Option("--rounds", 5);
var onlyAt = Array.IndexOf(args, "--only");
var workloads = new[] { WorkloadShape.Mova360p, WorkloadShape.Mova720p }
    .Where(w => onlyAt < 0 || w.Name == args[onlyAt + 1]).ToList();
output = Path.GetFullPath(output);
Directory.CreateDirectory(output);

// The test cluster writes a log file per silo and client into ./logs: keep them out of the source tree.
var logs = Path.Combine(Path.GetTempPath(), "mova-costmodel-cluster");
Directory.CreateDirectory(logs);
Directory.SetCurrentDirectory(logs);
ThreadPool.SetMinThreads(256, 256);

var rows = new List<ClusterRow>();
async Task Cell(WorkloadShape workload, int gpus, int memory, PlannerObjective objective = PlannerObjective.Throughput)
{
    var row = await ClusterRun.RunAsync(workload, gpus, memory, rounds, realLatency, objective);
    rows.Add(row);
    Console.WriteLine(row.Prediction is null
        ? $"{workload.Name} {gpus} x {memory} GB: no plan fits"
        : string.Create(CultureInfo.InvariantCulture,
            $"{workload.Name} {gpus} x {memory} GB, {objective}: {row.Prediction.Plan} x{row.Prediction.Replicas} on {row.Silos} silo(s), {row.Workers} workers: predicted {row.Prediction.JobsPerHour:F2} jobs/h, measured {row.MeasuredJobsPerHour:F2} ({row.Error:+0.0%;-0.0%}), {row.WallSeconds:F0} s"));
}

var cellAt = Array.IndexOf(args, "--cell");
if (cellAt >= 0)
{
    var workload = args[cellAt + 1] == "720p" ? WorkloadShape.Mova720p : WorkloadShape.Mova360p;
    var objective = args.Contains("--latency-plans") ? PlannerObjective.Latency : PlannerObjective.Throughput;
    await Cell(workload, int.Parse(args[cellAt + 2], CultureInfo.InvariantCulture), int.Parse(args[cellAt + 3], CultureInfo.InvariantCulture), objective);
    return;
}

// Headline: 64 GPUs as 8 silos x 8 cost-model workers.
var headline = new List<ClusterRow>();
foreach (var (workload, memory) in new[] { (WorkloadShape.Mova360p, 80), (WorkloadShape.Mova720p, 141) }.Where(c => workloads.Contains(c.Item1) && !args.Contains("--grid-only") && !args.Contains("--latency-plans")))
{
    await Cell(workload, 64, memory);
    headline.Add(rows[^1]);
}

if (args.Contains("--latency-plans"))
{
    // The latency objective's plans (CFG pairs, pipelines of CFG pairs, expert stages) through the grains, on 8 GPUs.
    foreach (var workload in workloads)
    {
        foreach (var memory in new[] { 24, 48, 80, 141 })
        {
            await Cell(workload, 8, memory, PlannerObjective.Latency);
        }
    }
}
else if (!args.Contains("--headline-only"))
{
    foreach (var workload in workloads)
    {
        foreach (var memory in new[] { 24, 48, 80, 141 })
        {
            foreach (var gpus in new[] { 1, 2, 4, 8, 16 })
            {
                await Cell(workload, gpus, memory);
            }
        }
    }
}

var grid = rows.Except(headline).ToList();
var markdown = ClusterReport.Markdown(rows);
File.WriteAllText(Path.Combine(output, "cost-model-cluster.md"), markdown);
foreach (var workload in grid.Where(_ => grid.Select(r => r.Gpus).Distinct().Count() > 1).Select(r => r.Workload).Distinct())
{
    ClusterChart.Draw(grid.Where(r => r.Workload == workload).ToList(), Path.Combine(output, $"cost-model-cluster-{workload}.png"));
}

Console.WriteLine(markdown);
var measured = rows.Where(r => r.Prediction is not null).ToList();
if (measured.Count > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |measured/predicted - 1|: {measured.Max(r => Math.Abs(r.Error)):P1} over {measured.Count} cells"));
}
