using System.Globalization;
using System.Text;

namespace MovaCluster.CostModelCluster;

/// <summary>The markdown table of a run.</summary>
internal static class ClusterReport
{
    public static string Markdown(IReadOnlyList<ClusterRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | GPUs | GB | objective | plan | replicas | silos | workers | jobs | compression | predicted jobs/h | measured jobs/h | error | wall s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            if (r.Prediction is null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Workload} | {r.Gpus} | {r.MemoryGb} | {r.Objective} | none fits | | | | | | | | | |");
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Workload} | {r.Gpus} | {r.MemoryGb} | {r.Objective} | {r.Prediction.Plan} | {r.Prediction.Replicas} | {r.Silos} | {r.Workers} | {r.Jobs} | {r.Compression:F0}x | {r.Prediction.JobsPerHour:F2} | {r.MeasuredJobsPerHour:F2} | {r.Error:+0.0%;-0.0%} | {r.WallSeconds:F0} |");
        }

        return text.ToString();
    }
}
