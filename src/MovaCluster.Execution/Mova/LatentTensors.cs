using TorchSharp;

namespace MovaCluster.Execution.Mova;

/// <summary>Moves latents between device tensors and host <see cref="LatentBuffer"/>s, keeping the fp32 bits.</summary>
internal static class LatentTensors
{
    public static LatentBuffer ToBuffer(torch.Tensor tensor)
    {
        using var host = tensor.detach().to(torch.ScalarType.Float32, torch.CPU).contiguous();
        return new LatentBuffer(host.shape, host.data<float>().ToArray());
    }

    public static torch.Tensor ToTensor(LatentBuffer buffer, torch.Device device)
    {
        if (buffer.ElementCount != buffer.Values.Length)
        {
            throw new ArgumentException(
                $"Latent shape [{string.Join(", ", buffer.Shape)}] holds {buffer.ElementCount} values but {buffer.Values.Length} were given.", nameof(buffer));
        }

        using var host = torch.tensor(buffer.Values, buffer.Shape, torch.ScalarType.Float32);
        return host.to(device, copy: true);
    }
}
