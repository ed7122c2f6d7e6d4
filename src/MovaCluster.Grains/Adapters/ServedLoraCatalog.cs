using Microsoft.Extensions.Options;
using MovaCluster.Execution;
using MovaCluster.Execution.Mova;
using MovaCluster.Model.Lora;

namespace MovaCluster.Grains.Adapters;

/// <summary>
/// The layer catalog of the MOVA checkpoint this silo is configured with (<c>Mova:Execution:Mova:CheckpointPath</c>,
/// the tiny model when empty), built from its configs on the meta device: what registrations are validated against.
/// </summary>
internal sealed class ServedLoraCatalog(IOptions<ExecutionOptions> options)
{
    private readonly Lazy<(LoraLayerCatalog Catalog, string Model)> _served = new(() =>
    {
        var model = MovaModelSource.Resolve(options.Value.Mova);
        return (LoraLayerCatalog.FromCheckpoint(model.Folder), model.ModelName);
    });

    public LoraLayerCatalog Catalog => _served.Value.Catalog;

    /// <summary>The served model's name.</summary>
    public string Model => _served.Value.Model;
}
