using Microsoft.Extensions.Configuration;
using MovaCluster.Model.Caching;

namespace MovaCluster.Model.Tests.Caching;

public sealed class CachePolicyTests
{
    [Fact]
    public void Tiers_resolve_to_their_settings_named_after_the_tier()
    {
        Assert.Null(CachePolicy.Off.Resolve(CacheTiers.Default));
        Assert.Same(CachePolicy.Off, CachePolicy.Tier(" Off "));
        var fast = CachePolicy.Tier("FAST").Resolve(CacheTiers.Default)!;
        Assert.Equal(CacheTiers.Fast, fast);
        Assert.Equal("fast", fast.Name);
        Assert.Equal(CacheTiers.Faster, CachePolicy.Tier("faster").Resolve(CacheTiers.Default));
        Assert.Equal(["fast", "faster"], CacheTiers.Default.Names);
        Assert.Null(CacheTiers.Fast.StepThreshold);
        Assert.NotNull(CacheTiers.Faster.StepThreshold);
    }

    [Fact]
    public void An_unknown_tier_names_the_known_ones()
    {
        var failure = Assert.Throws<ArgumentException>(() => CachePolicy.Tier("fastest").Resolve(CacheTiers.Default));
        Assert.Contains("off, fast, faster", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_settings_are_validated_and_returned_as_given()
    {
        var settings = new CacheSettings { Name = "mine", BlockThreshold = 0.2, FirstLayers = 3 };
        Assert.Same(settings, CachePolicy.Explicit(settings).Resolve(CacheTiers.Default));
        Assert.Equal("mine", CachePolicy.Explicit(settings).ToString());
        Assert.Throws<ArgumentException>(() => CachePolicy.Explicit(settings with { BlockThreshold = -0.1 }));
    }

    [Fact]
    public void Zero_thresholds_never_skip_and_positive_ones_may()
    {
        Assert.True(CacheSettings.Exact.NeverSkips);
        Assert.True(new CacheSettings { BlockThreshold = null }.NeverSkips);
        Assert.False(CacheTiers.Fast.NeverSkips);
    }

    [Fact]
    public void Operators_change_and_add_tiers_through_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mova:Caching:Tiers:fast:BlockThreshold"] = "0.05",
                ["Mova:Caching:Tiers:draft:StepThreshold"] = "0.3",
                ["Mova:Caching:Tiers:draft:BlockThreshold"] = "0.2",
                ["Mova:Caching:Tiers:draft:WarmupSteps"] = "2",
            })
            .Build();
        var options = configuration.GetSection(CachingOptions.SectionName).Get<CachingOptions>()!;

        Assert.Empty(options.Validate());
        var tiers = options.ToTiers();
        Assert.Equal(["draft", "fast", "faster"], tiers.Names);
        Assert.True(tiers.TryGet("fast", out var fast));
        Assert.Equal(CacheTiers.Fast with { BlockThreshold = 0.05 }, fast);
        Assert.True(tiers.TryGet("Draft", out var draft));
        Assert.Equal((0.3, 0.2, 2, "draft"), (draft.StepThreshold!.Value, draft.BlockThreshold!.Value, draft.WarmupSteps, draft.Name));
    }

    [Fact]
    public void Invalid_tiers_are_reported_all_at_once()
    {
        var options = new CachingOptions();
        options.Tiers["off"] = CacheTiers.Fast;
        options.Tiers["broken"] = new CacheSettings { BlockThreshold = -1, FinalSteps = -1 };

        var errors = new CachingOptionsValidator().Validate(null, options);
        Assert.True(errors.Failed);
        Assert.Contains(errors.Failures!, f => f.Contains("reserved", StringComparison.Ordinal));
        Assert.Contains(errors.Failures!, f => f.Contains("tier 'broken': BlockThreshold", StringComparison.Ordinal));
        Assert.Contains(errors.Failures!, f => f.Contains("tier 'broken': FinalSteps", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => options.ToTiers());
    }
}
