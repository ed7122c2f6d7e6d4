using System.Net;
using System.Net.Sockets;
using Minio.Exceptions;

namespace MovaCluster.Storage.Retries;

/// <summary>Decides which failures are worth another attempt: lost connections, timeouts and 5xx/throttling answers.</summary>
public static class TransientStorageErrors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted",
    };

    /// <summary>True when <paramref name="error"/> (or what it wraps) is transient.</summary>
    public static bool IsTransient(Exception error, CancellationToken callerToken)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OperationCanceledException when !callerToken.IsCancellationRequested:
                case TimeoutException:
                case HttpRequestException { StatusCode: null }:
                case IOException:
                case SocketException:
                case ConnectionException:
                case InternalServerException:
                case UnexpectedShortReadException:
                    return true;
                case HttpRequestException { StatusCode: { } status }:
                    return IsTransientStatus(status);
                case ClipTransferException transfer:
                    return transfer.Transient;
                case MinioException minio when minio.Response?.Code is { } code && TransientCodes.Contains(code):
                    return true;
                case MinioException minio when minio.ServerResponse is { } response && IsTransientStatus(response.StatusCode):
                    return true;
                case MinioException minio when minio.ServerResponse?.Exception is { } inner && IsTransient(inner, callerToken):
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>True for HTTP answers that a retry may fix: 408, 429 and 5xx.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
