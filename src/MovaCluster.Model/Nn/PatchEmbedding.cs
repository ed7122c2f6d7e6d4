using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Nn;

/// <summary>
/// Conv with kernel = stride = patch: Conv3d for a 3-element patch (video), Conv1d for a 1-element patch (audio).
/// Keys <c>weight</c> [dim, in, *patch] and <c>bias</c> [dim].
/// </summary>
public sealed class PatchEmbedding : ExplicitModule<torch.Tensor, torch.Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly long[] _patch;

    public PatchEmbedding(int inChannels, int dim, int[] patch, ParameterFactory factory)
        : base(nameof(PatchEmbedding))
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.Length is not (1 or 3))
        {
            throw new ArgumentException($"Patch must have 1 or 3 elements, got {patch.Length}.", nameof(patch));
        }

        _patch = [.. patch.Select(p => (long)p)];
        _weight = factory.Create("weight", [dim, inChannels, .. _patch]);
        _bias = factory.Create("bias", dim);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    public override torch.Tensor forward(torch.Tensor input) =>
        _patch.Length == 3
            ? torch.nn.functional.conv3d(input, _weight, _bias, strides: _patch)
            : torch.nn.functional.conv1d(input, _weight, _bias, stride: _patch[0]);
}
