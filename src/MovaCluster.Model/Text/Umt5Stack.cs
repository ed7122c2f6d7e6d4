using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>The <c>encoder</c> of UMT5EncoderModel: <c>block.{i}</c> and <c>final_layer_norm</c>.</summary>
public sealed class Umt5Stack : nn.Module
{
    private readonly ModuleList<Umt5Block> _blocks;
    private readonly T5LayerNorm _finalNorm;

    public Umt5Stack(Umt5Config config, Device device, ScalarType dtype)
        : base(nameof(Umt5Stack))
    {
        _blocks = new ModuleList<Umt5Block>();
        for (int i = 0; i < config.NumLayers; i++)
        {
            _blocks.Add(new Umt5Block(config, device, dtype));
        }

        _finalNorm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon, device, dtype);
        register_module("block", _blocks);
        register_module("final_layer_norm", _finalNorm);
    }

    public IReadOnlyList<Umt5Block> Blocks => [.. _blocks];

    /// <summary>Runs the blocks and the final norm; <paramref name="afterBlock"/> sees each block's output.</summary>
    public Tensor Forward(Tensor embeddings, Tensor maskBias, Action<int, Tensor>? afterBlock = null)
    {
        var hidden = embeddings.alias();
        for (int i = 0; i < _blocks.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var next = _blocks[i].forward(hidden, maskBias);
            afterBlock?.Invoke(i, next);
            hidden.Dispose();
            hidden = next.MoveToOuterDisposeScope();
        }

        using (hidden)
        {
            return _finalNorm.forward(hidden);
        }
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
