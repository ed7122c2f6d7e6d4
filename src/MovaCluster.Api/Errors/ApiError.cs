using System.Text.Json;
using MovaCluster.Api.Json;

namespace MovaCluster.Api.Errors;

/// <summary>
/// An error answer in OpenAI's shape, <c>{"error":{"type","code","message","param"}}</c>, with its HTTP status and
/// an optional Retry-After. Written directly as the endpoint result.
/// </summary>
public sealed record ApiError(int Status, string Type, string Code, string Message, string? Param = null) : IResult
{
    public TimeSpan? RetryAfter { get; init; }

    public static ApiError BadRequest(string code, string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", code, message, param);

    public static ApiError Unprocessable(string code, string message, string? param = null) =>
        new(StatusCodes.Status422UnprocessableEntity, "invalid_request_error", code, message, param);

    public static ApiError Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, "authentication_error", "invalid_api_key", message);

    public static ApiError Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, "permission_error", "operator_key_required", message);

    public static ApiError NotFound(string code, string message, string? param = null) =>
        new(StatusCodes.Status404NotFound, "invalid_request_error", code, message, param);

    public static ApiError Conflict(string code, string message, string? param = null) =>
        new(StatusCodes.Status409Conflict, "invalid_request_error", code, message, param);

    public static ApiError TooLarge(string code, string message, string? param = null) =>
        new(StatusCodes.Status413PayloadTooLarge, "invalid_request_error", code, message, param);

    public static ApiError UnsupportedMediaType(string code, string message, string? param = null) =>
        new(StatusCodes.Status415UnsupportedMediaType, "invalid_request_error", code, message, param);

    public static ApiError TooManyRequests(string code, string message, TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, "rate_limit_error", code, message) { RetryAfter = retryAfter };

    public static ApiError Unavailable(string code, string message) =>
        new(StatusCodes.Status503ServiceUnavailable, "server_error", code, message);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json";
        var body = new ApiErrorBody(new ApiErrorDetail(Type, Code, Message, Param));
        await JsonSerializer.SerializeAsync(response.Body, body, GatewayJson.Options, httpContext.RequestAborted);
    }
}
