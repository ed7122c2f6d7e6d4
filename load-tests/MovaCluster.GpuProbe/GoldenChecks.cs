using System.Text.Json.Nodes;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>
/// Golden comparisons recorded rather than asserted: each is (case, tensor, error, tolerance, passed), with the error
/// computed by the model tests' own helpers (max|actual − expected| / max|expected| in float64 on the cpu, or the
/// absolute maximum where those tests use it).
/// </summary>
internal sealed class GoldenChecks
{
    private readonly JsonArray _checks = [];
    private readonly Dictionary<string, double> _worstByKind = [];
    private int _failed;

    public void Relative(string kind, string caseName, string tensor, torch.Tensor actual, torch.Tensor expected, double tolerance) =>
        Add(kind, caseName, tensor, "relative", () => TensorAssert.RelativeError(actual, expected), tolerance);

    public void Absolute(string kind, string caseName, string tensor, torch.Tensor actual, torch.Tensor expected, double tolerance) =>
        Add(kind, caseName, tensor, "max_abs", () => TensorDifference.MaxAbs(actual, expected), tolerance);

    /// <summary>A case that could not run at all (its exception's message is the result).</summary>
    public void Failed(string kind, string caseName, Exception failure)
    {
        _failed++;
        _checks.Add(new JsonObject { ["kind"] = kind, ["case"] = caseName, ["passed"] = false, ["error_message"] = failure.Message });
    }

    public JsonObject ToJson() => new()
    {
        ["status"] = _failed == 0 && _checks.Count > 0 ? "passed" : "failed",
        ["checks_run"] = _checks.Count,
        ["checks_failed"] = _failed,
        ["worst_error_by_kind"] = new JsonObject([.. _worstByKind.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))]),
        ["checks"] = _checks.DeepClone(),
    };

    private void Add(string kind, string caseName, string tensor, string measure, Func<double> error, double tolerance)
    {
        double value;
        try
        {
            value = error();
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            Failed(kind, $"{caseName}/{tensor}", failure);
            return;
        }

        var passed = value <= tolerance;
        _failed += passed ? 0 : 1;
        _worstByKind[kind] = Math.Max(_worstByKind.GetValueOrDefault(kind), value);
        _checks.Add(new JsonObject
        {
            ["kind"] = kind, ["case"] = caseName, ["tensor"] = tensor, ["measure"] = measure,
            ["error"] = value, ["tolerance"] = tolerance, ["passed"] = passed,
        });
        ProbeContext.Log($"  {kind} {caseName} {tensor}: {measure} {value:E2} (tolerance {tolerance:E0}) {(passed ? "ok" : "FAILED")}");
    }
}
