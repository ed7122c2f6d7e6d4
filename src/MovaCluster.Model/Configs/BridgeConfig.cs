namespace MovaCluster.Model.Configs;

/// <summary>Constructor arguments of the official DualTowerConditionalBridge, <c>dual_tower_bridge/config.json</c>.</summary>
public sealed record BridgeConfig : IComponentConfig
{
    public int VisualLayers { get; init; } = 30;
    public int AudioLayers { get; init; } = 30;
    public int VisualHiddenDim { get; init; } = 3072;
    public int AudioHiddenDim { get; init; } = 1536;
    public double AudioFps { get; init; } = 44100.0 / 2048.0;
    public int HeadDim { get; init; } = 128;
    public string InteractionStrategy { get; init; } = "shallow_focus";
    public bool ApplyCrossRope { get; init; }
    public bool ApplyFirstFrameBiasInRope { get; init; }
    public bool TrainableConditionScale { get; init; }
    public bool PooledAdaln { get; init; }

    /// <summary>Layers that have both an a2v and a v2a conditioner (the official interaction mapping).</summary>
    public IReadOnlyList<int> InteractionLayers => BridgeInteraction.Layers(InteractionStrategy, Math.Min(VisualLayers, AudioLayers));

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (VisualLayers <= 0 || AudioLayers <= 0)
        {
            errors.Add("visual_layers and audio_layers must be positive.");
        }

        if (HeadDim <= 0 || HeadDim % 2 != 0)
        {
            errors.Add($"head_dim must be positive and even (got {HeadDim}).");
        }
        else if (VisualHiddenDim % HeadDim != 0 || AudioHiddenDim % HeadDim != 0)
        {
            errors.Add($"visual_hidden_dim {VisualHiddenDim} and audio_hidden_dim {AudioHiddenDim} must be multiples of head_dim {HeadDim}.");
        }

        if (!(AudioFps > 0))
        {
            errors.Add($"audio_fps must be positive (got {AudioFps}).");
        }

        if (!BridgeInteraction.IsKnown(InteractionStrategy))
        {
            errors.Add($"interaction_strategy '{InteractionStrategy}' is unknown (known: {string.Join(", ", BridgeInteraction.Strategies)}).");
        }

        if (TrainableConditionScale || PooledAdaln)
        {
            errors.Add("trainable_condition_scale and pooled_adaln are not used by MOVA checkpoints and are not supported.");
        }

        return errors;
    }
}
