namespace MovaCluster.Model.Lora;

/// <summary>The file format an adapter was read from.</summary>
public enum LoraAdapterFormat
{
    /// <summary>Official <c>lora_weights.pt</c> + <c>lora_config.pt</c>, keys <c>…lora_A.weight</c>.</summary>
    Peft,

    /// <summary>Official <c>lora_weights.pt</c> + <c>lora_config.pt</c>, keys <c>…lora_A.default.weight</c>.</summary>
    DiffSynth,

    /// <summary>A safetensors file with either key form; alpha in its metadata.</summary>
    Safetensors,
}
