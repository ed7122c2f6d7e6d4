using Microsoft.Extensions.Logging;

namespace MovaCluster.Grains.Workers;

internal sealed partial class WorkerGrain
{
    [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "Worker {WorkerId} active with model {Model} (output is noise: {OutputIsNoise})")]
    private partial void LogActivated(string workerId, string model, bool outputIsNoise);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Debug, Message = "Worker {WorkerId} deactivated: {Reason}")]
    private partial void LogDeactivated(string workerId, string reason);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Information, Message = "Cancelling job {JobId} attempt {Attempt} at the next step boundary")]
    private partial void LogCancelling(string jobId, int attempt);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Error, Message = "The run of job {JobId} attempt {Attempt} ended with an unhandled error")]
    private partial void LogRunFaulted(Exception exception, string jobId, int attempt);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} made no progress for {Quiet}: the device looks hung; no longer renewing its lease")]
    private partial void LogStalled(string jobId, int attempt, TimeSpan quiet);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Warning, Message = "Adopted job {JobId} attempt {Attempt}, still running on the device after the previous activation of this worker was deactivated")]
    private partial void LogAdopted(string jobId, int attempt);
}
