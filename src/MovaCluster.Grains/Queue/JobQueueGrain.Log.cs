using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Queue;

internal sealed partial class JobQueueGrain
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Queue activated with {Queued} queued and {Running} running jobs")]
    private partial void LogActivated(int queued, int running);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Debug, Message = "Job {JobId} dispatched to {WorkerId}, attempt {Attempt}")]
    private partial void LogDispatched(string jobId, string workerId, int attempt);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Job {JobId} lost its worker {WorkerId}: silo {SiloAddress} left the cluster")]
    private partial void LogSiloLost(string jobId, string workerId, string siloAddress);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "Job {JobId}: worker {WorkerId} sent no heartbeat for {Timeout}; requeueing")]
    private partial void LogLeaseExpired(string jobId, string workerId, TimeSpan timeout);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Information, Message = "Submission rejected ({Reason}): {Message}")]
    private partial void LogRejected(RejectionReason reason, string message);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Warning, Message = "Queue: its store is unreachable; it keeps working in memory, takes and dispatches no job, and retries its write until the store is back")]
    private partial void LogStoreOutage(Exception exception);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Information, Message = "Queue: its store is reachable again after {Outage}; every change made meanwhile is stored")]
    private partial void LogStoreRecovered(TimeSpan outage);

    [LoggerMessage(EventId = 6208, Level = LogLevel.Error, Message = "Queue: storing its changes failed")]
    private partial void LogWriteFailed(Exception exception);

    [LoggerMessage(EventId = 6209, Level = LogLevel.Warning, Message = "Job {JobId}: worker {WorkerId} gave attempt {Attempt} back; requeueing")]
    private partial void LogAbandoned(string jobId, string workerId, int attempt);

    [LoggerMessage(EventId = 6210, Level = LogLevel.Information, Message = "Job {JobId} was submitted again while {WorkerId} held attempt {Attempt}; back in line after its release")]
    private partial void LogResubmittedRequeued(string jobId, string workerId, int attempt);
}
