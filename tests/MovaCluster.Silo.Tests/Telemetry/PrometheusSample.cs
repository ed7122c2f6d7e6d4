namespace MovaCluster.Silo.Tests.Telemetry;

/// <summary>One sample line of the Prometheus text format: a metric name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(string label, string value) => Labels.TryGetValue(label, out var actual) && actual == value;

    public override string ToString() =>
        $"{Name}{{{string.Join(",", Labels.Select(pair => $"{pair.Key}=\"{pair.Value}\""))}}} {Value}";
}
