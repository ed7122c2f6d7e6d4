using System.Globalization;
using MovaCluster.Model.Planning;

if (args is ["--candidates", var workloadName, var gpuText, var memoryText])
{
    var workload = workloadName == "720p" ? WorkloadShape.Mova720p : WorkloadShape.Mova360p;
    Console.WriteLine(CapacityReport.CandidatesMarkdown(MovaArchitecture.Mova, workload, int.Parse(gpuText, CultureInfo.InvariantCulture), int.Parse(memoryText, CultureInfo.InvariantCulture)));
    return;
}

var output = args.Length > 0 ? args[0] : Path.Combine(Directory.GetCurrentDirectory(), "capacity");
Directory.CreateDirectory(output);
var report = new CapacityReport(MovaArchitecture.Mova);
var rows = report.Run([WorkloadShape.Mova360p, WorkloadShape.Mova720p], [1, 2, 4, 8, 16], [24, 48, 80, 141]);
File.WriteAllText(Path.Combine(output, "capacity.md"), CapacityReport.Markdown(rows));
foreach (var workload in rows.Select(r => r.Workload).Distinct())
{
    CapacityChart.Draw(rows.Where(r => r.Workload == workload).ToList(), Path.Combine(output, $"capacity-{workload}.png"));
}

Console.WriteLine(CapacityReport.Markdown(rows));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"max |simulated/predicted - 1| over winning plans: {rows.Where(r => r.Best is not null).Max(r => Math.Abs(r.Simulated!.JobsPerHour / r.Best!.JobsPerHour - 1)):P1}"));
