using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.GpuProbe;

if (args.Length > 0 && args[0] == "report")
{
    return ReportWriter.Run(args.Skip(1).ToList());
}

var options = ProbeOptions.Parse(args);
var device = DeviceContext.Parse(options.Device);
IProbeSection[] known = [new GoldenSection(), new BenchSection(), new MovaStepSection(), new ExecutorSection()];
var sections = known.Where(s => options.Sections.Contains(s.Name)).ToList();

// The probe's own device thread: bound to the device and failure-describing like every worker thread.
await using var thread = new DeviceThread<ProbeThread>(device, "probe", _ => new ProbeThread());
var results = new JsonObject();
try
{
    await thread.Ready;
}
catch (Exception failure)
{
    results["probe"] = new JsonObject { ["device"] = device.Name, ["error"] = failure.Message };
    Save(results, options.OutputPath);
    Console.Error.WriteLine(failure.Message);
    return 2;
}

results["probe"] = await thread.RunAsync(_ => ProbeEnvironment.Describe(options, device, thread.Binding));
results["sections"] = new JsonObject();
ProbeContext.Log($"probe on {device.Name} ({options.Size}): {string.Join(", ", sections.Select(s => s.Name))}");
var context = new ProbeContext(options, device);
var failed = false;
foreach (var section in sections)
{
    var clock = Stopwatch.StartNew();
    JsonObject outcome;
    try
    {
        outcome = await thread.RunAsync(_ => section.Run(context));
        outcome["status"] ??= "ok";
    }
    catch (Exception failure) when (failure is not OutOfMemoryException)
    {
        outcome = new JsonObject { ["status"] = "error", ["error"] = $"{failure.GetType().Name}: {failure.Message}" };
        Console.Error.WriteLine($"section {section.Name} failed: {failure}");
    }

    outcome["section_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
    failed |= outcome["status"]!.GetValue<string>() is not ("ok" or "passed");
    results["sections"]![section.Name] = outcome;
    Save(results, options.OutputPath);
    ProbeContext.Log($"{section.Name}: {outcome["status"]} in {clock.Elapsed.TotalSeconds:F1} s");
}

Console.WriteLine($"results: {Path.GetFullPath(options.OutputPath)}");
return failed ? 1 : 0;

static void Save(JsonObject results, string path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    File.WriteAllText(path, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
