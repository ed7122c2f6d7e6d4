namespace MovaCluster.Model.Lora;

/// <summary>One adapter of a job's set and its strength (the official <c>set_lora_scale</c> factor; 1 = as trained).</summary>
public sealed record AppliedLora(BoundLoraAdapter Adapter, double Strength = 1.0);
