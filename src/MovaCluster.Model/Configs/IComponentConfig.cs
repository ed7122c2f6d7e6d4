namespace MovaCluster.Model.Configs;

/// <summary>A typed component config read from a checkpoint's config.json.</summary>
public interface IComponentConfig
{
    /// <summary>Every problem with the values (empty when valid).</summary>
    IReadOnlyList<string> Validate();
}
