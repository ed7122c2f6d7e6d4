namespace MovaCluster.Model.Lora;

/// <summary>
/// One key of an official adapter state dict: <c>&lt;component&gt;.&lt;module path&gt;.lora_A.weight</c> (peft form) or
/// <c>….lora_A.default.weight</c> (diffsynth form), likewise for <c>lora_B</c>.
/// </summary>
/// <param name="Layer">The adapted layer, component included (<c>video_dit.blocks.0.self_attn.q</c>).</param>
/// <param name="Matrix">A or B.</param>
/// <param name="Form">Peft or DiffSynth.</param>
public sealed record LoraTensorKey(string Layer, LoraMatrix Matrix, LoraAdapterFormat Form)
{
    private static readonly (string Suffix, LoraMatrix Matrix, LoraAdapterFormat Form)[] Suffixes =
    [
        (".lora_A.default.weight", LoraMatrix.A, LoraAdapterFormat.DiffSynth),
        (".lora_B.default.weight", LoraMatrix.B, LoraAdapterFormat.DiffSynth),
        (".lora_A.weight", LoraMatrix.A, LoraAdapterFormat.Peft),
        (".lora_B.weight", LoraMatrix.B, LoraAdapterFormat.Peft),
    ];

    /// <summary>The component the layer belongs to (the text before the first dot).</summary>
    public string Component => Layer[..Layer.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The layer's name inside its component (<c>blocks.0.self_attn.q</c>).</summary>
    public string ComponentRelativeName => Layer[(Layer.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>Parses <paramref name="key"/>, or explains why it is not a LoRA key of a MOVA component.</summary>
    public static LoraTensorKey Parse(string key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var (suffix, matrix, form) in Suffixes)
        {
            if (!key.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var layer = key[..^suffix.Length];
            var dot = layer.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == layer.Length - 1)
            {
                throw new LoraAdapterException(source, key, "names no layer (expected '<component>.<module path>" + suffix + "').");
            }

            if (!MovaLoraComponents.IsComponent(layer[..dot]))
            {
                throw new LoraAdapterException(
                    source, key, $"names no layer of the model: '{layer[..dot]}' is not a MOVA component ({string.Join(", ", MovaLoraComponents.All)}).");
            }

            return new LoraTensorKey(layer, matrix, form);
        }

        throw new LoraAdapterException(source, key, "is not a LoRA tensor (expected a key ending in .lora_A.weight, .lora_B.weight or their .default. forms).");
    }
}
