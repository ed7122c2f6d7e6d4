using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>One adapter layer's matrices on its Linear's device, in the adapter's dtype.</summary>
internal sealed class BoundLoraLayer(string name, torch.Tensor a, torch.Tensor b, double baseScaling, int rank) : IDisposable
{
    public string Name { get; } = name;

    public torch.Tensor A { get; } = a;

    public torch.Tensor B { get; } = b;

    /// <summary>alpha / rank, as the official layer computes it.</summary>
    public double BaseScaling { get; } = baseScaling;

    public int Rank { get; } = rank;

    /// <summary>The official scaling at <paramref name="strength"/> (<c>set_lora_scale</c>: alpha / rank × scale).</summary>
    public double Scaling(double strength) => BaseScaling * strength;

    public long Bytes => (A.numel() + B.numel()) * A.ElementSize;

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
