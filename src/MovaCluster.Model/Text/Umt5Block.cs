using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>One UMT5 encoder block: <c>layer.0</c> self-attention, <c>layer.1</c> feed-forward.</summary>
public sealed class Umt5Block : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Umt5SelfAttentionLayer _attention;
    private readonly Umt5FeedForwardLayer _feedForward;

    public Umt5Block(Umt5Config config, Device device, ScalarType dtype)
        : base(nameof(Umt5Block))
    {
        _attention = new Umt5SelfAttentionLayer(config, device, dtype);
        _feedForward = new Umt5FeedForwardLayer(config, device, dtype);
        register_module("layer", new ModuleList<nn.Module>(_attention, _feedForward));
    }

    public Umt5Attention Attention => _attention.Attention;

    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = torch.NewDisposeScope();
        var afterAttention = _attention.forward(hidden, maskBias);
        return _feedForward.forward(afterAttention).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
