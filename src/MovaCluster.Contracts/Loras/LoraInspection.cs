namespace MovaCluster.Contracts.Loras;

/// <summary>The outcome of an inspection: the stored content, or the problem (with the offending key when one is to blame).</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraInspection")]
public sealed record LoraInspection
{
    [Id(0)] public LoraContent? Content { get; init; }

    /// <summary>
    /// Null on success, else: <c>invalid_adapter</c> (unreadable or not fitting the model), <c>adapter_too_large</c>,
    /// <c>reference_not_allowed</c> (outside the configured roots or prefixes), <c>reference_not_found</c>.
    /// </summary>
    [Id(1)] public string? ErrorCode { get; init; }

    [Id(2)] public string? Error { get; init; }

    /// <summary>The adapter key or layer at fault, when there is one.</summary>
    [Id(3)] public string? ErrorKey { get; init; }

    public static LoraInspection Stored(LoraContent content) => new() { Content = content };

    public static LoraInspection Failed(string code, string message, string? key = null) => new() { ErrorCode = code, Error = message, ErrorKey = key };
}
