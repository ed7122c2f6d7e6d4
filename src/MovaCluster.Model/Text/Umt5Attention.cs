using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>
/// UMT5 self-attention (keys q, k, v, o without bias and this layer's own <c>relative_attention_bias</c>):
/// scores are q·kᵀ without 1/√d scaling, plus the bias and the padding mask, softmax in float32.
/// </summary>
public sealed class Umt5Attention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Umt5Config _config;
    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _o;
    private readonly Embedding _relativeAttentionBias;

    public Umt5Attention(Umt5Config config, Device device, ScalarType dtype)
        : base(nameof(Umt5Attention))
    {
        _config = config;
        _q = nn.Linear(config.DModel, config.InnerDim, hasBias: false, device: device, dtype: dtype);
        _k = nn.Linear(config.DModel, config.InnerDim, hasBias: false, device: device, dtype: dtype);
        _v = nn.Linear(config.DModel, config.InnerDim, hasBias: false, device: device, dtype: dtype);
        _o = nn.Linear(config.InnerDim, config.DModel, hasBias: false, device: device, dtype: dtype);
        _relativeAttentionBias = nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads, device: device, dtype: dtype);
        register_module("q", _q);
        register_module("k", _k);
        register_module("v", _v);
        register_module("o", _o);
        register_module("relative_attention_bias", _relativeAttentionBias);
    }

    /// <summary>Position bias [1, heads, L, L] of this layer (before the mask), as upstream's compute_bias.</summary>
    public Tensor PositionBias(long length)
    {
        using var scope = torch.NewDisposeScope();
        var buckets = Umt5RelativePosition.Buckets(
            length, length, _config.RelativeAttentionNumBuckets, _config.RelativeAttentionMaxDistance, _q.weight!.device);
        return _relativeAttentionBias.forward(buckets).permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <param name="hidden">Normalized hidden states [B, L, d_model].</param>
    /// <param name="maskBias">Additive key mask [B, 1, 1, L] (0 on real tokens, finfo.min on padding).</param>
    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = torch.NewDisposeScope();
        long batch = hidden.shape[0];
        long length = hidden.shape[1];
        Tensor Heads(Tensor x) => x.view(batch, length, _config.NumHeads, _config.DKv).transpose(1, 2);
        var q = Heads(_q.forward(hidden));
        var k = Heads(_k.forward(hidden));
        var v = Heads(_v.forward(hidden));

        var scores = torch.matmul(q, k.transpose(3, 2));
        var bias = PositionBias(length) + maskBias;
        scores = scores + bias;
        var weights = torch.softmax(scores.to(ScalarType.Float32), -1).to(scores.dtype);
        var output = torch.matmul(weights, v).transpose(1, 2).contiguous().view(batch, length, _config.InnerDim);
        return _o.forward(output).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
