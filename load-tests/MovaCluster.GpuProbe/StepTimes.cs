using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MovaCluster.GpuProbe;

/// <summary>
/// Step times taken at step boundaries after a device synchronisation: the first <c>warmup</c> steps (kernel
/// selection, cuBLAS heuristics, RoPE tables) are dropped, the rest give median, min and max. Asks the caller to stop
/// once the section's budget is spent and at least one step was timed.
/// </summary>
internal sealed class StepTimes(ProbeContext context, int warmup, double budgetSeconds)
{
    private readonly List<double> _seconds = [];
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private Stopwatch _clock = Stopwatch.StartNew();
    private int _seen;

    public int Timed => _seconds.Count;

    /// <summary>Restarts the clock of the first step (after setup work).</summary>
    public void Start()
    {
        context.Synchronize();
        _clock = Stopwatch.StartNew();
    }

    /// <summary>Records a step; true when the caller should stop (budget spent).</summary>
    public bool Step()
    {
        context.Synchronize();
        var elapsed = _clock.Elapsed.TotalSeconds;
        if (_seen++ >= warmup)
        {
            _seconds.Add(elapsed);
        }

        _clock = Stopwatch.StartNew();
        return _seconds.Count > 0 && _sinceStart.Elapsed.TotalSeconds > budgetSeconds;
    }

    public JsonObject ToJson()
    {
        var sorted = _seconds.Order().ToList();
        var result = new JsonObject
        {
            ["warmup_steps"] = Math.Min(_seen, warmup),
            ["timed_steps"] = sorted.Count,
            ["seconds"] = new JsonArray([.. _seconds.Select(s => (JsonNode)Math.Round(s, 6))]),
        };
        if (sorted.Count > 0)
        {
            result["median_seconds"] = Math.Round(sorted[sorted.Count / 2], 6);
            result["min_seconds"] = Math.Round(sorted[0], 6);
            result["max_seconds"] = Math.Round(sorted[^1], 6);
        }

        return result;
    }
}
