using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// The unmerged LoRA terms of one Linear for one forward: per batch segment, the adapters' (A, B, scaling) in order.
/// Each term is computed as the official <c>LoRALinear.forward</c> does: x cast to the adapter's dtype, B(A x), cast
/// back to the input's and then the output's dtype, multiplied by the scaling, added to W x + b.
/// </summary>
internal sealed class LoraLinearDelta
{
    private readonly List<(int FirstRow, int? RowCount, List<(BoundLoraLayer Layer, double Scaling)> Terms)> _segments = [];

    public void Add(int firstRow, int? rowCount, BoundLoraLayer layer, double scaling)
    {
        var index = _segments.FindIndex(s => s.FirstRow == firstRow && s.RowCount == rowCount);
        if (index < 0)
        {
            _segments.Add((firstRow, rowCount, []));
            index = _segments.Count - 1;
        }

        _segments[index].Terms.Add((layer, scaling));
    }

    /// <summary>Adds every term to <paramref name="output"/> in place and returns it.</summary>
    public torch.Tensor AddTo(torch.Tensor output, torch.Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var rows = input.shape[0];
        foreach (var (firstRow, rowCount, terms) in _segments)
        {
            var count = rowCount ?? (rows - firstRow);
            if (firstRow < 0 || count < 0 || firstRow + count > rows)
            {
                throw new InvalidOperationException($"LoRA batch segment [{firstRow}, {firstRow + count}) lies outside a batch of {rows} rows.");
            }

            var whole = firstRow == 0 && count == rows;
            var x = whole ? input : input.narrow(0, firstRow, count);
            var y = whole ? output : output.narrow(0, firstRow, count);
            foreach (var (layer, scaling) in terms)
            {
                var source = x.dtype == layer.A.dtype ? x : x.to(layer.A.dtype);
                var term = torch.nn.functional.linear(torch.nn.functional.linear(source, layer.A), layer.B);
                if (term.dtype != x.dtype)
                {
                    term = term.to(x.dtype);
                }

                if (term.dtype != y.dtype)
                {
                    term = term.to(y.dtype);
                }

                // Out of place on purpose: libtorch's in-place multiply by a scalar rounds the scalar to bfloat16
                // first, while the official `lora_output * self.scaling` keeps it in float.
                y.add_(term.mul(scaling));
            }
        }

        return output;
    }
}
