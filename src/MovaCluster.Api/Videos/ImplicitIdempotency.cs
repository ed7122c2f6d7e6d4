using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Makes a create without an Idempotency-Key safe to retry. Each such create runs under an implicit key (the same
/// machinery as a client's key: the video id is derived from it, and a replay returns the video it created), noted in
/// the <see cref="ICreateAttemptLog"/> under the tenant and the request's fingerprint until it gets a definite answer.
/// A create that ends in doubt (answered 503 because a silo was being declared dead or the store blinked, or cut off
/// by the client or a dying gateway) leaves its key behind for <see cref="GatewayOptions.CreateRetryWindow"/>:
/// the next create of the same request by the same tenant takes that key over, so it yields the video the first one
/// may have created instead of a second one. The OpenAI SDKs say which tries are retries (<c>X-Stainless-Retry-Count</c>:
/// 0 on the first try of a call, n on its n-th retry), and that is used:
/// <list type="bullet">
/// <item>a retry takes over an attempt that ended in doubt (a client that gives up waiting puts its attempt in doubt at
/// once, and it stays there when it finishes unanswered), or else one in flight on a gateway that died mid-create;
/// never one whose client is still waiting, which is an identical request sent on purpose;</item>
/// <item>a first try takes over nothing: two identical requests sent on purpose make two videos;</item>
/// <item>a client that does not say takes over only an attempt that ended in doubt, which is what the client that got
/// the 503 (or lost the answer) wants.</item>
/// </list>
/// </summary>
public sealed partial class ImplicitIdempotency(ICreateAttemptLog attempts, IOptions<GatewayOptions> options, TimeProvider time, ILogger<ImplicitIdempotency> logger)
{
    /// <summary>Sent by the OpenAI SDKs on every request: 0 on the first try of a call, n on its n-th retry.</summary>
    public const string RetryCountHeader = "X-Stainless-Retry-Count";

    private const string KeyPrefix = "implicit:";

    /// <summary>Runs <paramref name="create"/> with the implicit key this request gets.</summary>
    public async Task<VideoObject> CreateAsync(HttpContext context, Tenant tenant, ValidatedVideoRequest request, Func<string, Task<VideoObject>> create)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(create);
        var window = options.Value.CreateRetryWindow;
        var fingerprint = RequestFingerprint.Of(request);
        bool? retry = int.TryParse(context.Request.Headers[RetryCountHeader], out var retries) ? retries > 0 : null;
        var fresh = KeyPrefix + Guid.NewGuid().ToString("N");
        var key = await attempts.BeginAsync(tenant.Id, fingerprint, fresh, retry, window, context.RequestAborted);
        if (key == fresh && retry == true && await attempts.InFlightElsewhereAsync(tenant.Id, fingerprint, fresh, context.RequestAborted))
        {
            // Its earlier try may be in flight on a gateway that just died and does not look dead yet: wait until it
            // would, then look again. A live gateway's attempt (an identical request sent on purpose) stays its own.
            await Task.Delay(attempts.GatewayLapse, time, context.RequestAborted);
            if (await attempts.TakeOrphanAsync(tenant.Id, fingerprint, fresh, window, context.RequestAborted) is { } orphan)
            {
                key = orphan;
                await SettleAsync(() => attempts.ForgetAsync(tenant.Id, fingerprint, fresh, CancellationToken.None));
            }
        }

        if (key != fresh)
        {
            LogTakenOver(tenant.Id, retries);
        }

        // The client that gives up waiting retries: from then on its attempt is in doubt, whatever it comes to.
        var abandoned = context.RequestAborted.Register(() =>
            _ = SettleAsync(() => attempts.MarkInDoubtAsync(tenant.Id, fingerprint, key, window, CancellationToken.None)));
        try
        {
            var video = await create(key);
            await abandoned.DisposeAsync();
            await SettleAsync(() => context.RequestAborted.IsCancellationRequested
                ? attempts.MarkInDoubtAsync(tenant.Id, fingerprint, key, window, CancellationToken.None)
                : attempts.ForgetAsync(tenant.Id, fingerprint, key, CancellationToken.None));
            return video;
        }
        catch (ApiErrorException)
        {
            await abandoned.DisposeAsync();
            // A definite answer (refused, over quota): nothing was created.
            await SettleAsync(() => attempts.ForgetAsync(tenant.Id, fingerprint, key, CancellationToken.None));
            throw;
        }
        catch (Exception failure) when (ServerFailure.IsTransient(failure) || failure is OperationCanceledException)
        {
            await abandoned.DisposeAsync();
            await SettleAsync(() => attempts.MarkInDoubtAsync(tenant.Id, fingerprint, key, window, CancellationToken.None));
            throw;
        }
    }

    /// <summary>An entry left behind costs at most a merged retry within the window; the create's own answer matters more.</summary>
    private async Task SettleAsync(Func<Task> change)
    {
        try
        {
            await change();
        }
        catch (Exception failure) when (ServerFailure.IsTransient(failure))
        {
            LogSettleFailed(failure.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Create for tenant {TenantId} continues an earlier attempt of the same request (client retry count {Retries})")]
    private partial void LogTakenOver(string tenantId, int retries);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Debug, Message = "Recording the outcome of a create attempt failed ({Failure})")]
    private partial void LogSettleFailed(string failure);
}
