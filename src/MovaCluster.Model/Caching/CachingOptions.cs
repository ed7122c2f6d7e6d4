namespace MovaCluster.Model.Caching;

/// <summary>
/// Operator settings of the step and block cache (configuration section <c>Mova:Caching</c>): the tiers jobs may name.
/// Default: <c>fast</c> and <c>faster</c> as in <see cref="CacheTiers.Default"/>; a configured tier of the same name
/// replaces the built-in one, other names add tiers.
/// </summary>
public sealed class CachingOptions
{
    public const string SectionName = "Mova:Caching";

    /// <summary>Tier name → settings (default: <c>fast</c>, <c>faster</c>).</summary>
    /// <remarks>Fresh copies: the configuration binder writes into the instances it finds here.</remarks>
    public Dictionary<string, CacheSettings> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fast"] = CacheTiers.Fast with { },
        ["faster"] = CacheTiers.Faster with { },
    };

    /// <summary>Every problem with the values (empty when valid).</summary>
    public IReadOnlyList<string> Validate() => CacheTiers.Validate(Tiers);

    /// <summary>The tier table these options describe.</summary>
    public CacheTiers ToTiers() => new(Tiers);
}
