namespace MovaCluster.Model.Lora;

/// <summary>Which of a LoRA layer's two matrices a tensor is.</summary>
public enum LoraMatrix
{
    /// <summary><c>lora_A</c>: [rank, in_features], applied first.</summary>
    A,

    /// <summary><c>lora_B</c>: [out_features, rank].</summary>
    B,
}
