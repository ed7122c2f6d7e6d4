using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MovaCluster.GpuProbe;

/// <summary>
/// <c>report --out results.json --markdown summary.md [--status kit-status.env] part.json...</c>: merges the per-section
/// results of separate probe runs (the kit runs each section in its own process under its own timeout) with the kit's
/// status file (key=value lines: build result, torch version, ...) and writes a one-page summary of the numbers.
/// </summary>
internal static class ReportWriter
{
    public static int Run(IReadOnlyList<string> args)
    {
        string? output = null, markdown = null, status = null;
        var parts = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out": output = args[++i]; break;
                case "--markdown": markdown = args[++i]; break;
                case "--status": status = args[++i]; break;
                default: parts.Add(args[i]); break;
            }
        }

        ArgumentNullException.ThrowIfNull(output, "--out");
        var merged = Merge(parts, status);
        File.WriteAllText(output, merged.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (markdown is not null)
        {
            File.WriteAllText(markdown, Summary(merged));
        }

        Console.WriteLine(Summary(merged));
        return 0;
    }

    public static JsonObject Merge(IEnumerable<string> parts, string? statusFile)
    {
        var kit = new JsonObject();
        if (statusFile is not null && File.Exists(statusFile))
        {
            foreach (var line in File.ReadAllLines(statusFile).Where(l => l.Contains('=', StringComparison.Ordinal)))
            {
                var at = line.IndexOf('=', StringComparison.Ordinal);
                kit[line[..at].Trim()] = line[(at + 1)..].Trim();
            }
        }

        var merged = new JsonObject { ["kit"] = kit, ["sections"] = new JsonObject() };
        foreach (var part in parts.Where(File.Exists))
        {
            if (JsonNode.Parse(File.ReadAllText(part)) is not JsonObject run)
            {
                continue;
            }

            merged["probe"] ??= run["probe"]?.DeepClone();
            if (run["probe"]?["error"] is { } error)
            {
                merged["sections"]![Path.GetFileNameWithoutExtension(part)] = new JsonObject { ["status"] = "error", ["error"] = error.DeepClone() };
            }

            foreach (var (name, section) in run["sections"]?.AsObject() ?? [])
            {
                merged["sections"]![name] = section?.DeepClone();
            }
        }

        return merged;
    }

    public static string Summary(JsonObject results)
    {
        var s = new StringBuilder();
        var probe = results["probe"];
        var kit = results["kit"];
        s.AppendLine(CultureInfo.InvariantCulture, $"# GPU probe: {Text(probe?["gpu"]) ?? Text(probe?["device"]) ?? "no device"}");
        s.AppendLine();
        s.AppendLine("| what | value |");
        s.AppendLine("|---|---|");
        Row(s, "device", probe?["gpu"] is null
            ? $"{Text(probe?["device"])} ({Text(probe?["processors"])} processors, {Text(probe?["os"])})"
            : $"{Text(probe?["device"])} {Text(probe?["gpu"])} ({Bytes(probe?["gpu_memory_bytes"])}), driver {Text(probe?["driver"])}");
        Row(s, "TorchSharp (managed)", $"{Text(probe?["torchsharp"])}, built for libtorch {Text(probe?["torchsharp_built_for_libtorch"])}");
        Row(s, "device thread", Text(probe?["thread_binding"]));
        Row(s, "CUDA shim", Text(probe?["cuda_shim"]));

        foreach (var (key, value) in kit?.AsObject() ?? [])
        {
            Row(s, $"kit: {key}", Text(value));
        }

        var sections = results["sections"]?.AsObject() ?? [];
        foreach (var (name, section) in sections)
        {
            Row(s, $"section {name}", $"{Text(section?["status"])} in {Number(section?["section_seconds"], "F1")} s{(section?["error"] is { } e ? ": " + Text(e) : "")}");
        }

        if (sections["goldens"] is { } goldens)
        {
            Row(s, "goldens (fp32)", $"{Text(goldens["status"])}: {Text(goldens["checks_run"])} checks, {Text(goldens["checks_failed"])} failed");
            foreach (var (kind, worst) in goldens["worst_error_by_kind"]?.AsObject() ?? [])
            {
                Row(s, $"  worst {kind} error", Number(worst, "E2"));
            }
        }

        if (sections["bench"] is { } bench)
        {
            foreach (var dtype in new[] { "float32", "bfloat16" })
            {
                var run = bench[dtype];
                Row(s, $"bench {Text(bench["config"])} {dtype}",
                    $"{Number(run?["ms_per_step_median"], "F2")} ms/step median (min {Ms(run?["min_seconds"])}, max {Ms(run?["max_seconds"])}, {Text(run?["timed_steps"])} steps); peak: {Peaks(run?["memory"])}");
            }
        }

        if (sections["mova-step"] is { } step)
        {
            var estimates = step["estimates"];
            var memory = step["memory"];
            Row(s, "MOVA step shape", Text(step["shape"]));
            Row(s, "  weights", $"{Text(step["weights"]?["parameters"])} parameters, {Bytes(step["weights"]?["bytes"])} (bf16; time embedding and projection fp32), built on the device in {Number(step["weights"]?["seconds_to_build"], "F2")} s");
            Row(s, "  s/step (CFG, 2 passes)", $"{Number(step["seconds_per_step"], "F3")} (timed steps: {Text(step["steps"]?["timed_steps"])}; MOVA's own: {Number(step["official_seconds_per_step"], "F1")} s/step on one H100 with offload)");
            Row(s, "  compute floor", $"{Number(step["compute_floor_seconds"], "F3")} s/step ({Number(step["flops_per_step"], "E3")} FLOP over the measured {Number(step["bf16_gemm_tflops"], "G4")} TFLOP/s bf16 GEMM); achieved {Number(step["achieved_tflops"], "G4")} TFLOP/s");
            Row(s, "  peak memory", Peaks(memory));
            Row(s, "  planner estimate", $"{Bytes(estimates?["planner_total_bytes"])} (weights {Bytes(estimates?["planner_weight_bytes"])} + activations {Bytes(estimates?["planner_activation_bytes"])})");
            Row(s, "  shard estimator", $"{Bytes(estimates?["shard_estimator_total_bytes"])} (block weights {Bytes(estimates?["shard_estimator_block_weight_bytes"])} + activations {Bytes(estimates?["shard_estimator_activation_bytes"])})");
            Row(s, "  attention", $"{Text(step["attention"]?["shape"])}: default {Number(step["attention"]?["default_ms"], "F2")} ms, flash off {Number(step["attention"]?["flash_disabled_ms"], "F2")} ms {Text(step["attention"]?["flash_disabled_error"])}");
        }

        if (sections["executor"] is { } executor)
        {
            foreach (var dtype in new[] { "float32", "bfloat16" })
            {
                var run = executor[dtype];
                var jobs = run?["jobs"]?.AsArray() ?? [];
                Row(s, $"executor tiny jobs {dtype}", $"model loaded in {Number(run?["load_seconds"], "F2")} s, then allocated {Bytes(run?["memory_after_load"]?["allocated_bytes"])}; " +
                    string.Join("; ", jobs.Select(j => $"{Text(j?["status"])} in {Number(j?["seconds"], "F2")} s, then allocated {Bytes(j?["memory_after"]?["allocated_bytes"])}, reserved {Bytes(j?["memory_after"]?["reserved_bytes"])}, RSS {Bytes(j?["memory_after"]?["rss_bytes"])}")));
                Row(s, $"  failure check {dtype}", $"{Text(run?["failure"]?["kind"])}: {Text(run?["failure"]?["job_message"])}; next job {Text(run?["job_after_failure"]?["status"])}");
            }
        }

        return s.ToString();
    }

    private static void Row(StringBuilder s, string what, string? value) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {(value ?? "n/a").Replace("|", "/", StringComparison.Ordinal).Replace('\n', ' ')} |");

    private static string? Text(JsonNode? node) => node?.ToString();

    private static string Number(JsonNode? node, string format) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Ms(JsonNode? seconds) =>
        seconds is JsonValue value && value.TryGetValue<double>(out var number) ? (number * 1000).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static string Peaks(JsonNode? memory)
    {
        var parts = new List<string>();
        foreach (var (key, label) in new[] { ("allocated_peak_bytes", "allocated"), ("reserved_peak_bytes", "reserved"), ("device_used_peak_bytes", "device in use"), ("rss_peak_bytes", "RSS") })
        {
            if (memory?[key] is { } value)
            {
                parts.Add($"{label} {Bytes(value)}");
            }
        }

        return parts.Count == 0 ? "n/a" : string.Join(", ", parts);
    }

    private static string Bytes(JsonNode? bytes)
    {
        if (bytes is not JsonValue value || !value.TryGetValue<double>(out var number))
        {
            return "n/a";
        }

        var (unit, scale) = number >= 1L << 30 ? ("GiB", 1L << 30) : number >= 1L << 20 ? ("MiB", 1L << 20) : ("KiB", 1L << 10);
        return (number / scale).ToString("F2", CultureInfo.InvariantCulture) + " " + unit;
    }
}
