using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Api.Errors;

/// <summary>
/// Answers <see cref="ApiErrorException"/>, Kestrel's body-size and malformed-request failures, and any other failure
/// (see <see cref="ServerFailure"/>: 503 for transient cluster failures, 500 otherwise, details only in the log) in the
/// OpenAI error shape instead of an empty 500 or 400. Every answer carries the request id.
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requestId = ServerFailure.RequestId(context);
        context.Response.Headers[ServerFailure.RequestIdHeader] = requestId;
        ApiError error;
        try
        {
            await next(context);
            return;
        }
        catch (ApiErrorException failure)
        {
            error = failure.Error;
        }
        catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            error = ApiError.TooLarge("request_too_large", "The request body is larger than the gateway accepts.");
        }
        catch (BadHttpRequestException failure)
        {
            error = new ApiError(failure.StatusCode, "invalid_request_error", "bad_request", failure.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
            return;
        }
        catch (Exception failure)
        {
            error = ServerFailure.For(failure, requestId);
            if (error.Status == StatusCodes.Status503ServiceUnavailable)
            {
                LogTransientFailure(failure, context.Request.Method, context.Request.Path, requestId, TransientFailure.IsStoreOutage(failure) ? "store unreachable" : "cluster changing");
            }
            else
            {
                LogUnexpectedFailure(failure, context.Request.Method, context.Request.Path, requestId);
            }
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.Headers[ServerFailure.RequestIdHeader] = requestId;
        if (error.Status >= StatusCodes.Status500InternalServerError)
        {
            context.Response.Headers[ServerFailure.ShouldRetryHeader] = error.Status == StatusCodes.Status503ServiceUnavailable ? "true" : "false";
        }

        await error.ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503 ({Cause}), request id {RequestId}")]
    private partial void LogTransientFailure(Exception exception, string method, string path, string requestId, string cause);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "{Method} {Path} failed, request id {RequestId}")]
    private partial void LogUnexpectedFailure(Exception exception, string method, string path, string requestId);
}
