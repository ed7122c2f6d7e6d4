namespace MovaCluster.Contracts.Jobs;

/// <summary>
/// Names of the step and block cache tiers every worker knows without configuration (MovaCluster.Model's
/// <c>CacheTiers.Default</c>; operators add tiers under <see cref="SectionName"/>), for hosts that do not load the model.
/// </summary>
public static class CacheTierNames
{
    /// <summary>The configuration section holding the operator's tiers (<c>Tiers:{name}</c> children).</summary>
    public const string SectionName = "Mova:Caching";

    /// <summary>The reserved name meaning "no cache" (the default).</summary>
    public const string Off = "off";

    /// <summary>The built-in tiers.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["fast", "faster"];
}
