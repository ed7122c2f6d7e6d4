using MovaCluster.Contracts.Loras;

namespace MovaCluster.Grains.Jobs;

/// <summary>Checks a request's resolved LoRA adapters (the gateway resolves names; this guards every other caller).</summary>
internal static class JobLoraValidator
{
    /// <summary>Most adapters one job may apply.</summary>
    public const int MaxAdapters = 16;

    public static IEnumerable<string> Problems(IReadOnlyList<JobLora>? loras)
    {
        if (loras is null)
        {
            yield return "the LoRA list is null";
            yield break;
        }

        if (loras.Count > MaxAdapters)
        {
            yield return $"{loras.Count} LoRA adapters exceed the limit of {MaxAdapters}";
        }

        foreach (var lora in loras)
        {
            if (lora is null || !LoraObjectKeys.IsDigest(lora.Digest) || string.IsNullOrEmpty(lora.Location) || !lora.Location.EndsWith('/'))
            {
                yield return $"LoRA adapter '{lora?.Name}' has no valid digest and location";
            }
            else if (!double.IsFinite(lora.Strength) || lora.AlphaOverride is { } alpha && !double.IsFinite(alpha))
            {
                yield return $"LoRA adapter '{lora.Name}' has a strength or alpha that is not a finite number";
            }
        }
    }
}
