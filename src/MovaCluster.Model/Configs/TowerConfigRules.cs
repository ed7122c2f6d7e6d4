namespace MovaCluster.Model.Configs;

/// <summary>Validation rules shared by the video and audio tower configs.</summary>
internal static class TowerConfigRules
{
    public static List<string> Common(int dim, int inDim, int ffnDim, int outDim, int textDim, int freqDim, double eps, int numHeads, int numLayers)
    {
        var errors = new List<string>();
        foreach (var (name, value) in new[] { ("dim", dim), ("in_dim", inDim), ("ffn_dim", ffnDim), ("out_dim", outDim), ("text_dim", textDim), ("num_heads", numHeads), ("num_layers", numLayers) })
        {
            if (value <= 0)
            {
                errors.Add($"{name} must be positive (got {value}).");
            }
        }

        if (freqDim <= 0 || freqDim % 2 != 0)
        {
            errors.Add($"freq_dim must be positive and even (got {freqDim}).");
        }

        if (!(eps > 0))
        {
            errors.Add($"eps must be positive (got {eps}).");
        }

        if (numHeads > 0 && dim % numHeads != 0)
        {
            errors.Add($"dim {dim} must be divisible by num_heads {numHeads}.");
        }

        return errors;
    }

    public static IEnumerable<string> VideoRope(int headDim)
    {
        var third = headDim / 3;
        var complexEntries = (headDim - 2 * third) / 2 + third / 2 + third / 2;
        if (headDim % 2 != 0 || complexEntries * 2 != headDim)
        {
            yield return $"head dim {headDim} cannot be split into the 3-D RoPE axes (t {headDim - 2 * third}, h {third}, w {third}); " +
                "use a head dim such as 24, 32, 48 or 128.";
        }
    }
}
