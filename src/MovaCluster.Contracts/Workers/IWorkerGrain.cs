using Orleans.Concurrency;

namespace MovaCluster.Contracts.Workers;

/// <summary>
/// Fronts one device worker. Keyed "{silo name}/{device}"; activated only on that silo and never moved.
/// </summary>
[Alias("MovaCluster.IWorkerGrain")]
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Activates the worker, registers it and asks for work.</summary>
    [Alias("Start")]
    Task<WorkerDescriptor> StartAsync();

    /// <summary>New work may be waiting; an idle worker asks the queue.</summary>
    [OneWay, Alias("Wake")]
    Task WakeAsync();

    /// <summary>Stops the given attempt of a job at its next step boundary.</summary>
    [OneWay, Alias("CancelJob")]
    Task CancelJobAsync(string jobId, int attempt);

    [Alias("GetStatus")]
    Task<WorkerStatus> GetStatusAsync();
}
