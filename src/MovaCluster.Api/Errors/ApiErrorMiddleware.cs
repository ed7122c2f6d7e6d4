namespace MovaCluster.Api.Errors;

/// <summary>
/// Answers <see cref="ApiErrorException"/> and Kestrel's body-size and malformed-request failures in the OpenAI error
/// shape instead of an empty 500 or 400.
/// </summary>
public sealed class ApiErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
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

        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        await error.ExecuteAsync(context);
    }
}
