using System.Text.Json;
using MovaCluster.Api.Json;

namespace MovaCluster.Api.Errors;

/// <summary>
/// An error answer with its HTTP status and an optional Retry-After, written directly as the endpoint result: in
/// OpenAI's shape, <c>{"error":{"type","code","message","param"}}</c>, on <c>/v1</c>, and as RFC 9457 problem
/// details (<c>type, title, status, detail, instance</c> plus <c>code</c> and <c>param</c>) everywhere else.
/// </summary>
public sealed record ApiError(int Status, string Type, string Code, string Message, string? Param = null) : IResult
{
    public const string ProblemContentType = "application/problem+json";

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

    public static ApiError Internal(string message) =>
        new(StatusCodes.Status500InternalServerError, "server_error", "internal_error", message);

    /// <summary>True for the OpenAI-compatible surface, whose clients (the openai SDKs) read OpenAI's error shape.</summary>
    public static bool IsOpenAiPath(PathString path) => path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (IsOpenAiPath(httpContext.Request.Path))
        {
            response.ContentType = "application/json";
            var body = new ApiErrorBody(new ApiErrorDetail(Type, Code, Message, Param));
            await JsonSerializer.SerializeAsync(response.Body, body, GatewayJson.Options, httpContext.RequestAborted);
            return;
        }

        response.ContentType = ProblemContentType;
        await response.Body.WriteAsync(ToProblemJson(httpContext.Request.Path.Value), httpContext.RequestAborted);
    }

    /// <summary>The problem details document of this error (UTF-8 JSON).</summary>
    public byte[] ToProblemJson(string? instance)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", ProblemTypes.For(Status));
            json.WriteString("title", ProblemTypes.TitleOf(Status));
            json.WriteNumber("status", Status);
            json.WriteString("detail", Message);
            if (!string.IsNullOrEmpty(instance))
            {
                json.WriteString("instance", instance);
            }

            json.WriteString("code", Code);
            if (Param is not null)
            {
                json.WriteString("param", Param);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
