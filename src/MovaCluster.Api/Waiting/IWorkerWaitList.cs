namespace MovaCluster.Api.Waiting;

/// <summary>
/// The videos waiting for a worker, by deadline, shared by every gateway: whichever gateway claims a due entry ends
/// that video's wait (<see cref="WorkerWaitSweeper"/>).
/// </summary>
public interface IWorkerWaitList
{
    Task AddAsync(WorkerWait wait, CancellationToken cancellationToken);

    /// <summary>Takes up to <paramref name="max"/> entries due by <paramref name="now"/> off the list; each goes to one caller only.</summary>
    Task<IReadOnlyList<WorkerWait>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    Task RemoveAsync(string videoId, CancellationToken cancellationToken);
}
