namespace MovaCluster.Api.Loras;

/// <summary>One entry of a create request's <c>lora</c> list: a registered adapter's name and its strength.</summary>
public sealed record LoraSelection(string Name, double Strength);
