using System.Text;
using MovaCluster.Api.Errors.Connections;

namespace MovaCluster.Api.Errors;

/// <summary>
/// The last word on every answer of the HTTP surface: <see cref="ApiErrorException"/>s become their error, Kestrel's
/// body failures (size limit, malformed chunking, a truncated or unreadable body) a 4xx, anything unexpected a logged
/// 500 with a body, and an error status that reached the client with no body (routing's 404 and 405, a binding
/// failure's 400) gets one. Errors are OpenAI-shaped on /v1 and problem details elsewhere (<see cref="ApiError"/>).
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ErrorBodyConnection.ApplicationResponding(context);
        ApiError? error;
        try
        {
            await next(context);
            error = BodyForBareStatus(context);
        }
        catch (Exception failure) when (context.RequestAborted.IsCancellationRequested && failure is OperationCanceledException or IOException)
        {
            // The client went away; nobody is left to answer.
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
            error = new ApiError(failure.StatusCode is >= 400 and < 500 ? failure.StatusCode : StatusCodes.Status400BadRequest,
                "invalid_request_error", "bad_request", failure.Message);
        }
        catch (Exception failure) when (failure is IOException or InvalidDataException or DecoderFallbackException)
        {
            // A body that ends early, a multipart section without its boundary, bytes that are not the text they claim.
            error = ApiError.BadRequest("unreadable_body", $"The request body could not be read: {failure.Message}");
        }
        catch (Exception failure) when (!context.Response.HasStarted)
        {
            LogUnhandled(failure, context.Request.Method, context.Request.Path.Value ?? "");
            error = ApiError.Internal($"The server failed to answer this request (trace id {context.TraceIdentifier}).");
        }

        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        if (context.Response.StatusCode < 400 || error.Status != context.Response.StatusCode)
        {
            // A thrown error replaces whatever the endpoint had set up; a bare status keeps its headers (Allow, WWW-Authenticate).
            context.Response.Clear();
        }

        await error.ExecuteAsync(context);
    }

    /// <summary>An error for a 4xx/5xx that the endpoint (or routing) left without a body; null when there is nothing to add.</summary>
    private static ApiError? BodyForBareStatus(HttpContext context)
    {
        var response = context.Response;
        if (response.StatusCode < 400 || response.HasStarted || response.ContentLength > 0 || !string.IsNullOrEmpty(response.ContentType))
        {
            return null;
        }

        var request = context.Request;
        return response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ApiError.NotFound("not_found", $"There is no {request.Method} {request.Path} on this server."),
            StatusCodes.Status405MethodNotAllowed => new ApiError(StatusCodes.Status405MethodNotAllowed, "invalid_request_error", "method_not_allowed",
                $"{request.Method} is not allowed on {request.Path}" + (response.Headers.Allow.Count > 0 ? $"; allowed: {response.Headers.Allow}." : ".")),
            StatusCodes.Status400BadRequest => ApiError.BadRequest("bad_request", "The request could not be read (a parameter or the body is malformed)."),
            StatusCodes.Status401Unauthorized => ApiError.Unauthorized("This route needs a valid key."),
            StatusCodes.Status403Forbidden => ApiError.Forbidden("This route needs an operator key."),
            StatusCodes.Status415UnsupportedMediaType => ApiError.UnsupportedMediaType("unsupported_content_type", "The content type of the body is not accepted here."),
            var status when status >= 500 => new ApiError(status, "server_error", "upstream_error", $"The server answered {status} without details."),
            var status => new ApiError(status, "invalid_request_error", "request_refused", $"The request was refused ({status})."),
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure answering {Method} {Path}")]
    private partial void LogUnhandled(Exception failure, string method, string path);
}
