using MovaCluster.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>
/// transformers' UMT5EncoderModel (keys <c>shared.weight</c>, <c>encoder.*</c>) and MOVA's prompt-embedding rule:
/// rows at or past each prompt's length are set to exactly zero.
/// </summary>
public sealed class Umt5EncoderModel : nn.Module
{
    private const string SharedKey = "shared.weight";
    private const string TiedAliasKey = "encoder.embed_tokens.weight";

    private readonly Embedding _shared;
    private readonly Umt5Stack _encoder;

    public Umt5EncoderModel(Umt5Config config, Device device, ScalarType dtype = ScalarType.Float32)
        : base(nameof(Umt5EncoderModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _shared = nn.Embedding(config.VocabSize, config.DModel, device: device, dtype: dtype);
        _encoder = new Umt5Stack(config, device, dtype);
        register_module("shared", _shared);
        register_module("encoder", _encoder);
        Device = device;
        DType = dtype;
        eval();
    }

    public Umt5Config Config { get; }

    public Device Device { get; }

    public ScalarType DType { get; }

    public Umt5Stack Encoder => _encoder;

    /// <summary>Builds the encoder from a <c>text_encoder</c> folder (config.json + safetensors) and loads it strictly.</summary>
    public static Umt5EncoderModel FromFolder(string folder, Device device, ScalarType dtype = ScalarType.Float32)
    {
        var model = new Umt5EncoderModel(Umt5Config.Load(folder), device, dtype);
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        model.Load(checkpoint);
        return model;
    }

    /// <summary>Strict load; accepts the tied embedding as <c>shared.weight</c>, <c>encoder.embed_tokens.weight</c> or both.</summary>
    public void Load(SafetensorsCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var targets = new Dictionary<string, Tensor>(state_dict(), StringComparer.Ordinal);
        if (checkpoint.Contains(TiedAliasKey))
        {
            targets[TiedAliasKey] = targets[SharedKey];
            if (!checkpoint.Contains(SharedKey))
            {
                targets.Remove(SharedKey);
            }
        }

        CheckpointLoader.Load(targets, checkpoint, allowUnusedCheckpointKeys: false);
    }

    /// <summary>last_hidden_state [B, L, d_model] for ids and mask [B, L] (int64).</summary>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Action<int, Tensor>? afterBlock = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var ids = inputIds.to(ScalarType.Int64, Device);
        var embeddings = _shared.forward(ids);
        var maskBias = MaskBias(attentionMask.to(Device), embeddings.dtype);
        return _encoder.Forward(embeddings, maskBias, afterBlock).MoveToOuterDisposeScope();
    }

    /// <summary>MOVA's prompt embeddings: last_hidden_state with rows past each prompt's length zeroed.</summary>
    public Tensor EncodePromptEmbeddings(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = Forward(inputIds, attentionMask);
        var lengths = attentionMask.to(Device).gt(0).sum([1L], keepdim: true);
        var positions = torch.arange(hidden.shape[1], device: Device).unsqueeze(0);
        var keep = positions.lt(lengths).unsqueeze(-1);
        return torch.where(keep, hidden, torch.zeros_like(hidden)).MoveToOuterDisposeScope();
    }

    /// <summary>(1 - mask) * finfo(dtype).min as [B, 1, 1, L], the additive padding mask upstream uses.</summary>
    private static Tensor MaskBias(Tensor attentionMask, ScalarType dtype)
    {
        double min = dtype switch
        {
            ScalarType.BFloat16 => -3.3895313892515355e38,
            ScalarType.Float16 => -65504.0,
            ScalarType.Float64 => double.MinValue,
            _ => float.MinValue,
        };
        using var scope = torch.NewDisposeScope();
        var mask = attentionMask.to(dtype).unsqueeze(1).unsqueeze(1);
        return ((1.0 - mask) * min).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
