using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Planning;

namespace MovaCluster.Execution.Sizing;

/// <summary>Sizes the planner's plans for the checkpoint a host serves instead of the built-in MOVA numbers.</summary>
public static class CheckpointArchitectureServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="MovaArchitecture"/> read from <paramref name="checkpointFolder"/>'s configs
    /// (<see cref="MovaArchitectureReader"/>), which <see cref="ClusterPlanService"/> then plans for.
    /// </summary>
    public static IServiceCollection AddMovaCheckpointArchitecture(this IServiceCollection services, string checkpointFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointFolder);
        services.AddSingleton(_ => MovaArchitectureReader.FromCheckpoint(checkpointFolder));
        return services;
    }
}
