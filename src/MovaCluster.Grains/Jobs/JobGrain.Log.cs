using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Jobs;

internal sealed partial class JobGrain
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Job {JobId} queued for tenant {TenantId} ({Priority}) at position {Position}")]
    private partial void LogQueued(string jobId, string tenantId, JobPriority priority, int position);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Job {JobId} of tenant {TenantId} rejected ({Reason}): {Message}")]
    private partial void LogRejected(string jobId, string tenantId, RejectionReason reason, string message);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Job {JobId} started on {WorkerId}, attempt {Attempt}, resuming after step {CheckpointStep}")]
    private partial void LogStarted(string jobId, string workerId, int attempt, int checkpointStep);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Job {JobId} refused start by {WorkerId} attempt {Attempt}: status {Status}, current attempt {CurrentAttempt}")]
    private partial void LogStartRefused(string jobId, string workerId, int attempt, JobStatus status, int currentAttempt);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information, Message = "Job {JobId} completed by attempt {Attempt}: {ClipKey}")]
    private partial void LogCompleted(string jobId, int attempt, string clipKey);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "Job {JobId} failed in attempt {Attempt}: {Error}")]
    private partial void LogFailed(string jobId, int attempt, string error);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Job {JobId} cancelled (was {PreviousStatus})")]
    private partial void LogCancelled(string jobId, JobStatus previousStatus);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Job {JobId}: cancellation requested from worker {WorkerId}")]
    private partial void LogCancelRequested(string jobId, string workerId);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Warning, Message = "Job {JobId} back in the queue: attempt {Attempt} on {WorkerId} was lost; resumes after step {CheckpointStep}")]
    private partial void LogRequeued(string jobId, int attempt, string workerId, int checkpointStep);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Debug, Message = "Job {JobId}: ignored {Requested} from attempt {Attempt} (current attempt {CurrentAttempt}, status {Status})")]
    private partial void LogStaleTransition(string jobId, int attempt, int currentAttempt, JobStatus status, JobStatus requested);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "Job {JobId}: publishing event {Sequence} to the progress stream failed")]
    private partial void LogPublishFailed(Exception exception, string jobId, long sequence);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Job {JobId}: deleting its checkpoint failed")]
    private partial void LogCheckpointCleanupFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 6113, Level = LogLevel.Warning, Message = "Job {JobId}: appending events {FirstSequence}-{LastSequence} to its event log failed")]
    private partial void LogEventLogFailed(Exception exception, string jobId, long firstSequence, long lastSequence);

    [LoggerMessage(EventId = 6114, Level = LogLevel.Warning, Message = "Job {JobId}: deleting its stored reference image failed")]
    private partial void LogImageCleanupFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 6115, Level = LogLevel.Warning, Message = "Job {JobId} withdrawn ({Status}): the create that submitted it failed")]
    private partial void LogWithdrawn(string jobId, JobStatus status);

    [LoggerMessage(EventId = 6116, Level = LogLevel.Warning, Message = "Job {JobId} failed without running: {Error}")]
    private partial void LogWaitExpired(string jobId, string error);
}
