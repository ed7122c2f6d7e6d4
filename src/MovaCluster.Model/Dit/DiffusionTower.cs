using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Dit;

/// <summary>
/// What the video and audio towers share: text and time embeddings, the time projection, the DiT blocks and the
/// head (keys text_embedding.*, time_embedding.*, time_projection.*, blocks.{i}.*, head.*).
/// </summary>
public abstract class DiffusionTower : ExplicitModule
{
    private readonly TwoLayerMlp _textEmbedding;
    private readonly TwoLayerMlp _timeEmbedding;
    private readonly SiluLinear _timeProjection;
    private readonly ModuleList<DiTBlock> _blocks;
    private readonly DiTBlock[] _blockArray;
    private readonly Head _head;

    protected DiffusionTower(string name, TowerShape shape, ParameterFactory factory)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(factory);
        Shape = shape;
        Device = factory.Device;
        ComputeDType = factory.Policy.WeightDType;
        _textEmbedding = new TwoLayerMlp(shape.TextDim, shape.Dim, shape.Dim, Activation.GeluTanh, factory.Child("text_embedding"));
        _timeEmbedding = new TwoLayerMlp(shape.FreqDim, shape.Dim, shape.Dim, Activation.Silu, factory.Child("time_embedding"));
        _timeProjection = new SiluLinear(shape.Dim, 6L * shape.Dim, factory.Child("time_projection"));
        var blocksFactory = factory.Child("blocks");
        _blocks = new ModuleList<DiTBlock>(
            [.. Enumerable.Range(0, shape.NumLayers).Select(i => new DiTBlock(shape.Dim, shape.NumHeads, shape.FfnDim, shape.Eps, blocksFactory.Child(i.ToString(System.Globalization.CultureInfo.InvariantCulture))))]);
        _blockArray = [.. _blocks];
        _head = new Head(shape.Dim, shape.OutDim * shape.PatchElements, shape.Eps, factory.Child("head"));
        register_module("text_embedding", _textEmbedding);
        register_module("time_embedding", _timeEmbedding);
        register_module("time_projection", _timeProjection);
        register_module("blocks", _blocks);
        register_module("head", _head);
    }

    /// <summary>Sizes of this tower.</summary>
    public TowerShape Shape { get; }

    /// <summary>Device the parameters live on.</summary>
    public torch.Device Device { get; }

    /// <summary>Activation dtype (the policy's weight dtype).</summary>
    public torch.ScalarType ComputeDType { get; }

    /// <summary>The DiT blocks, index = layer.</summary>
    public IReadOnlyList<DiTBlock> Blocks => _blockArray;

    /// <summary>
    /// Time embedding t [B, D] and modulation t_mod [B, 6, D] for timesteps [B] (float32), computed in float32 and
    /// cast to the compute dtype (SPEC 4.5 step 1).
    /// </summary>
    public (torch.Tensor T, torch.Tensor TMod) EmbedTime(torch.Tensor timesteps)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        using var scope = torch.NewDisposeScope();
        var sinusoid = SinusoidalTimeEmbedding.Compute(Shape.FreqDim, timesteps.to(torch.ScalarType.Float32, Device));
        var weightType = _timeEmbedding.First.Weight.dtype;
        var t = _timeEmbedding.forward(sinusoid.to(weightType)).to(torch.ScalarType.Float32);
        var tMod = _timeProjection.forward(t.to(weightType)).to(torch.ScalarType.Float32).unflatten(1, [6, Shape.Dim]);
        return (t.to(ComputeDType).MoveToOuterDisposeScope(), tMod.to(ComputeDType).MoveToOuterDisposeScope());
    }

    /// <summary>Text context [B, Lc, text_dim] → [B, Lc, D] in the compute dtype.</summary>
    public torch.Tensor EmbedText(torch.Tensor context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = torch.NewDisposeScope();
        return _textEmbedding.forward(context.to(ComputeDType, Device)).MoveToOuterDisposeScope();
    }

    /// <summary>Head output [B, L, out_dim·prod(patch)] for tokens x and time embedding t.</summary>
    public torch.Tensor ApplyHead(torch.Tensor x, torch.Tensor t) => _head.Forward(x, t);
}
