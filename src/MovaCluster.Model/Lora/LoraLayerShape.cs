namespace MovaCluster.Model.Lora;

/// <summary>The input and output widths of an adaptable Linear layer.</summary>
public sealed record LoraLayerShape(long InFeatures, long OutFeatures);
