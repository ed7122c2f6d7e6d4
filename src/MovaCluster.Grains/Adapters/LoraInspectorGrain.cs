using MovaCluster.Contracts.Loras;
using Orleans.Concurrency;

namespace MovaCluster.Grains.Adapters;

/// <summary>Runs an inspection on this silo, off the grain scheduler (reading an adapter is seconds of CPU).</summary>
[StatelessWorker]
internal sealed class LoraInspectorGrain(LoraInspector inspector) : Grain, ILoraInspectorGrain
{
    public Task<LoraInspection> InspectAsync(LoraInspectionRequest request) =>
        Task.Run(() => inspector.InspectAsync(request, CancellationToken.None));
}
