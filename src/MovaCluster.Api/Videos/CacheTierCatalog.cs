using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The cache tiers a request may name: the built-in ones plus those the operator configured under
/// <c>Mova:Caching:Tiers</c>, read from the same configuration the workers bind their settings from (the HTTP surface
/// never loads the model). Names are case-insensitive; <c>off</c> means no cache.
/// </summary>
public sealed class CacheTierCatalog(IConfiguration configuration)
{
    private readonly SortedSet<string> _names = new(
        CacheTierNames.BuiltIn.Concat(configuration.GetSection(CacheTierNames.SectionName).GetSection("Tiers").GetChildren().Select(c => c.Key)),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Every name a request may send, "off" first.</summary>
    public IReadOnlyList<string> Names => [CacheTierNames.Off, .. _names.Where(n => !string.Equals(n, CacheTierNames.Off, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The tier's configured spelling, null for "off", or false when the name is unknown.</summary>
    public bool TryResolve(string name, out string? tier)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        tier = null;
        if (string.Equals(trimmed, CacheTierNames.Off, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (_names.TryGetValue(trimmed, out var known))
        {
            tier = known;
            return true;
        }

        return false;
    }
}
