namespace MovaCluster.Model.Lora;

/// <summary>
/// Which Linear layers the official MOVA LoRA pipeline (<c>MOVALoRA._inject_lora_layers</c> with
/// <c>inject_lora_to_model</c>) puts a LoRA layer into: a Linear whose component-relative name contains one of the
/// target names and none of the excluded names. The official patterns are regular expressions <c>.*name.*</c>, and
/// none of these names holds a regex metacharacter, so they match as plain substrings; an excluded name also
/// excludes everything below it, which the substring test already gives. Single letters such as <c>o</c> make the
/// rule broad: <c>blocks.0.ffn.0</c> matches through "bl<b>o</b>cks".
/// </summary>
public static class OfficialLoraTargetRule
{
    /// <summary>The official <c>target_layer_names</c>.</summary>
    public static IReadOnlyList<string> TargetNames { get; } = ["q", "k", "v", "o", "to_q", "to_k", "to_v", "proj"];

    /// <summary>The official default <c>exclude_modules</c>.</summary>
    public static IReadOnlyList<string> ExcludedNames { get; } = ["time_projection", "time_embedding"];

    /// <summary>True when the official pipeline adapts the Linear named <paramref name="componentRelativeName"/>.</summary>
    public static bool Adapts(string componentRelativeName)
    {
        ArgumentNullException.ThrowIfNull(componentRelativeName);
        return !ExcludedNames.Any(n => componentRelativeName.Contains(n, StringComparison.Ordinal))
            && TargetNames.Any(n => componentRelativeName.Contains(n, StringComparison.Ordinal));
    }
}
