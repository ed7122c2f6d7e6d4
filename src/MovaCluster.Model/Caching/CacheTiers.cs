namespace MovaCluster.Model.Caching;

/// <summary>
/// The named speed tiers a job may ask for, each mapped to <see cref="CacheSettings"/> (names are case-insensitive; the
/// settings' <see cref="CacheSettings.Name"/> is the tier name). <see cref="Default"/> holds <c>fast</c> (block level
/// only) and <c>faster</c> (step and block level); operators override or add tiers through <see cref="CachingOptions"/>.
/// </summary>
public sealed class CacheTiers
{
    private readonly Dictionary<string, CacheSettings> _tiers;

    public CacheTiers(IReadOnlyDictionary<string, CacheSettings> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var errors = Validate(tiers);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid cache tiers: {string.Join(" ", errors)}", nameof(tiers));
        }

        _tiers = new Dictionary<string, CacheSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, settings) in tiers)
        {
            _tiers[name.Trim()] = settings with { Name = name.Trim() };
        }
    }

    /// <summary>Block-level caching only: first 2 layers and last layer of each tower computed, threshold 0.08.</summary>
    public static CacheSettings Fast { get; } = new()
    {
        Name = "fast",
        BlockThreshold = 0.08,
        FirstLayers = 2,
        LastLayers = 1,
        WarmupSteps = 4,
        FinalSteps = 1,
        MaxConsecutiveReuses = 3,
    };

    /// <summary>Step level (TeaCache, threshold 0.15; needs the checkpoint's teacache.json) plus block level at 0.15.</summary>
    public static CacheSettings Faster { get; } = new()
    {
        Name = "faster",
        StepThreshold = 0.15,
        BlockThreshold = 0.15,
        FirstLayers = 1,
        LastLayers = 1,
        WarmupSteps = 3,
        FinalSteps = 1,
        MaxConsecutiveReuses = 5,
    };

    /// <summary>The built-in tiers: <c>fast</c> and <c>faster</c>.</summary>
    public static CacheTiers Default { get; } = new(new Dictionary<string, CacheSettings> { ["fast"] = Fast, ["faster"] = Faster });

    /// <summary>Tier names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _tiers.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    public bool TryGet(string name, out CacheSettings settings)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tiers.TryGetValue(name.Trim(), out settings!);
    }

    /// <summary>Every problem with a tier table (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, CacheSettings> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, settings) in tiers)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add("a tier name is empty.");
                continue;
            }

            if (string.Equals(name.Trim(), CachePolicy.OffName, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"'{CachePolicy.OffName}' is reserved for no caching and cannot be a tier.");
            }

            if (!seen.Add(name.Trim()))
            {
                errors.Add($"tier '{name}' is defined twice (names are case-insensitive).");
            }

            if (settings is null)
            {
                errors.Add($"tier '{name}' has no settings.");
                continue;
            }

            errors.AddRange(settings.Validate().Select(e => $"tier '{name}': {e}"));
        }

        return errors;
    }
}
