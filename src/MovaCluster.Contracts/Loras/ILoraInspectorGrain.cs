namespace MovaCluster.Contracts.Loras;

/// <summary>
/// Reads an adapter with the model's own reader and validates it against the layer catalog of the model the silos
/// serve (no weights needed), then stores its files under the scope's content prefix by digest. A stateless worker:
/// it runs on the silo the caller reaches, off the grain scheduler, one inspection at a time per silo.
/// </summary>
[Alias("MovaCluster.ILoraInspectorGrain")]
public interface ILoraInspectorGrain : IGrainWithIntegerKey
{
    [Alias("Inspect")]
    Task<LoraInspection> InspectAsync(LoraInspectionRequest request);
}
