namespace MovaCluster.Model.Caching;

/// <summary>
/// A job's cache choice: <see cref="Off"/> (the default: today's exact path), a named tier whose settings the operator
/// configures (<see cref="CacheTiers"/>), or explicit settings. <see cref="Resolve"/> turns it into the settings the
/// sampler runs with.
/// </summary>
public sealed record CachePolicy
{
    /// <summary>The reserved tier name meaning "no cache".</summary>
    public const string OffName = "off";

    private CachePolicy(CachePolicyKind kind, string? tierName, CacheSettings? settings)
    {
        Kind = kind;
        TierName = tierName;
        Settings = settings;
    }

    /// <summary>No caching: every pass computes every layer.</summary>
    public static CachePolicy Off { get; } = new(CachePolicyKind.Off, null, null);

    public CachePolicyKind Kind { get; }

    /// <summary>The tier name (for <see cref="CachePolicyKind.Tier"/>).</summary>
    public string? TierName { get; }

    /// <summary>The explicit settings (for <see cref="CachePolicyKind.Explicit"/>).</summary>
    public CacheSettings? Settings { get; }

    /// <summary>A named tier; <c>"off"</c> (any case) is <see cref="Off"/>.</summary>
    public static CachePolicy Tier(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return string.Equals(name.Trim(), OffName, StringComparison.OrdinalIgnoreCase) ? Off : new CachePolicy(CachePolicyKind.Tier, name.Trim(), null);
    }

    /// <summary>Explicit settings (validated).</summary>
    public static CachePolicy Explicit(CacheSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid cache settings: {string.Join(" ", errors)}", nameof(settings));
        }

        return new CachePolicy(CachePolicyKind.Explicit, null, settings);
    }

    /// <summary>The settings to sample with, or null for <see cref="Off"/>. An unknown tier name throws.</summary>
    public CacheSettings? Resolve(CacheTiers tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return Kind switch
        {
            CachePolicyKind.Off => null,
            CachePolicyKind.Explicit => Settings,
            _ => tiers.TryGet(TierName!, out var settings)
                ? settings
                : throw new ArgumentException($"Unknown cache tier '{TierName}'; known tiers: {OffName}, {string.Join(", ", tiers.Names)}."),
        };
    }

    public override string ToString() => Kind switch
    {
        CachePolicyKind.Off => OffName,
        CachePolicyKind.Tier => TierName!,
        _ => Settings!.Name,
    };
}
