namespace MovaCluster.Contracts.Loras;

/// <summary>The answer to a registration: the adapter as registered, or why not.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraRegistration")]
public sealed record LoraRegistration
{
    [Id(0)] public LoraAdapterInfo? Adapter { get; init; }

    /// <summary>Null on success; <c>lora_name_taken</c> or <c>lora_quota_exceeded</c>.</summary>
    [Id(1)] public string? ErrorCode { get; init; }

    [Id(2)] public string? Error { get; init; }
}
