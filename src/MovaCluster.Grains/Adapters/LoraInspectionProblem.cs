namespace MovaCluster.Grains.Adapters;

/// <summary>A registration that cannot go on, with the API error code it maps to.</summary>
internal sealed class LoraInspectionProblem(string code, string message, string? key = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Key { get; } = key;
}
