using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// One adapted layer: <c>lora_A</c> [rank, in] and <c>lora_B</c> [out, rank] in the file's dtype on the host. The
/// rank comes from these shapes, never from the config (the official trainer writes its class name there).
/// </summary>
public sealed class LoraAdapterLayer
{
    internal LoraAdapterLayer(string name, torch.Tensor a, torch.Tensor b)
    {
        Name = name;
        A = a;
        B = b;
    }

    /// <summary>The adapted layer, component included (<c>video_dit.blocks.0.self_attn.q</c>).</summary>
    public string Name { get; }

    /// <summary><c>lora_A.weight</c> [rank, in_features].</summary>
    public torch.Tensor A { get; }

    /// <summary><c>lora_B.weight</c> [out_features, rank].</summary>
    public torch.Tensor B { get; }

    public int Rank => (int)A.shape[0];

    public long InFeatures => A.shape[1];

    public long OutFeatures => B.shape[0];

    /// <summary>The dtype the LoRA product is computed in (the official layer keeps the loaded tensors' dtype).</summary>
    public torch.ScalarType DType => A.dtype;

    /// <summary>Bytes of both matrices.</summary>
    public long Bytes => (A.numel() + B.numel()) * A.ElementSize;
}
