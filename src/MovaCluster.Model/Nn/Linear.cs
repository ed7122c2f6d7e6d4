using MovaCluster.Model.Lora;
using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Nn;

/// <summary>y = x Wᵀ + b with checkpoint keys <c>weight</c> [out, in] and <c>bias</c> [out].</summary>
public sealed class Linear : ExplicitModule<torch.Tensor, torch.Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter? _bias;

    public Linear(long inFeatures, long outFeatures, ParameterFactory factory, bool hasBias = true)
        : base(nameof(Linear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = factory.Create("weight", outFeatures, inFeatures);
        register_parameter("weight", _weight);
        if (hasBias)
        {
            _bias = factory.Create("bias", outFeatures);
            register_parameter("bias", _bias);
        }
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public torch.Tensor Weight => _weight;

    /// <summary>Unmerged LoRA terms added to the output while a <see cref="LoraActivation"/> is in force.</summary>
    internal LoraLinearDelta? Lora { get; set; }

    public override torch.Tensor forward(torch.Tensor input)
    {
        var output = torch.nn.functional.linear(input, _weight, _bias);
        return Lora is null ? output : Lora.AddTo(output, input);
    }
}
