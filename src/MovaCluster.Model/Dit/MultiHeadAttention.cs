using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>Unmasked multi-head attention on [B, L, heads·headDim] tensors through libtorch's fused SDPA (scale 1/√headDim).</summary>
internal static class MultiHeadAttention
{
    public static torch.Tensor Compute(torch.Tensor q, torch.Tensor k, torch.Tensor v, int heads)
    {
        using var scope = torch.NewDisposeScope();
        var batch = q.shape[0];
        var width = q.shape[2];
        var headDim = width / heads;
        var qh = q.view(batch, q.shape[1], heads, headDim).transpose(1, 2);
        var kh = k.view(batch, k.shape[1], heads, headDim).transpose(1, 2);
        var vh = v.view(batch, v.shape[1], heads, headDim).transpose(1, 2);
        var attended = torch.nn.functional.scaled_dot_product_attention(qh, kh, vh);
        return attended.transpose(1, 2).reshape(batch, q.shape[1], width).MoveToOuterDisposeScope();
    }
}
