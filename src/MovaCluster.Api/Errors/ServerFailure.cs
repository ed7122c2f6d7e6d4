using System.Diagnostics;
using MovaCluster.ServiceDefaults.Resilience;
using MovaCluster.Storage;

namespace MovaCluster.Api.Errors;

/// <summary>
/// What an API client is told when the server, not its request, failed: a transient failure (a silo being declared
/// dead, Redis or the clip store unreachable) is a 503 the client may retry after Retry-After; anything else a 500.
/// Neither message names an internal type, provider, key or host: the request id in the message and in the
/// <c>x-request-id</c> header finds the details in the server's log.
/// </summary>
public static class ServerFailure
{
    public const string RequestIdHeader = "x-request-id";

    /// <summary>The OpenAI SDKs' own hint: retry this answer (they would retry a 5xx anyway; this makes it explicit).</summary>
    public const string ShouldRetryHeader = "x-should-retry";

    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public static bool IsTransient(Exception failure) => TransientFailure.Is(failure) || HasClipStoreOutage(failure);

    /// <summary>The id that ties this request's answer to its log lines (the W3C trace id when a trace is recorded).</summary>
    public static string RequestId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
    }

    public static ApiError For(Exception failure, string requestId) => IsTransient(failure)
        ? ApiError.Unavailable("service_unavailable",
            $"The service is briefly unavailable (the cluster is recovering from a failure); retry in a few seconds. Request id: {requestId}.") with { RetryAfter = RetryAfter }
        : new ApiError(StatusCodes.Status500InternalServerError, "server_error", "internal_error",
            $"The server had an error while processing your request. Request id: {requestId}.");

    private static bool HasClipStoreOutage(Exception failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is ClipStoreUnavailableException)
            {
                return true;
            }
        }

        return false;
    }
}
