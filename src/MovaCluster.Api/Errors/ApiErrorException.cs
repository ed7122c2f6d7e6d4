namespace MovaCluster.Api.Errors;

/// <summary>Thrown by request parsing and checks deep in a call; the error middleware answers with <see cref="Error"/>.</summary>
public sealed class ApiErrorException(ApiError error) : Exception(error?.Message)
{
    public ApiError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}
