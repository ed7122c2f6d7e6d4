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
}
