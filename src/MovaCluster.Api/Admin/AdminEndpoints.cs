using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Admin;

/// <summary>Operator-only routes: tenants, their keys and quotas, usage, queue and workers.</summary>
public static partial class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.WithTags("Admin");
        admin.MapPut("/tenants/{tenantId}", UpsertTenantAsync);
        admin.MapGet("/tenants/{tenantId}", GetTenantAsync);
        admin.MapPost("/tenants/{tenantId}/keys", IssueKeyAsync);
        admin.MapDelete("/keys/{keyHash}", RevokeKeyAsync);
        admin.MapGet("/tenants/{tenantId}/usage", UsageAsync);
        admin.MapGet("/queue", async (IClusterClient cluster) =>
            Results.Json(await cluster.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync(), GatewayJson.Options));
        admin.MapGet("/workers", async (IClusterClient cluster) =>
            Results.Json(await cluster.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).ListAsync(), GatewayJson.Options));
        return admin;
    }

    private static async Task<IResult> UpsertTenantAsync(
        HttpContext context, string tenantId, ITenantStore store, TenantAuthenticator authenticator, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        CheckTenantId(tenantId);
        TenantUpsert? body = null;
        if (context.Request.HasJsonContentType())
        {
            try
            {
                body = await context.Request.ReadFromJsonAsync<TenantUpsert>(GatewayJson.Options, cancellationToken);
            }
            catch (JsonException failure)
            {
                return ApiError.BadRequest("invalid_json", $"The tenant body is not valid JSON: {failure.Message}");
            }
        }

        var existing = await store.GetAsync(tenantId, cancellationToken);
        var tenant = new Tenant
        {
            Id = tenantId,
            Quotas = body?.Quotas ?? existing?.Quotas ?? options.Value.DefaultQuotas,
            IsOperator = body?.IsOperator ?? false,
            WebhookSecret = body?.WebhookSecret ?? existing?.WebhookSecret ?? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
        };
        await store.SaveAsync(tenant, cancellationToken);
        authenticator.Forget();
        return Results.Json(tenant, GatewayJson.Options);
    }

    private static async Task<IResult> GetTenantAsync(string tenantId, ITenantStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(tenantId, cancellationToken) is { } tenant
            ? Results.Json(tenant, GatewayJson.Options)
            : ApiError.NotFound("tenant_not_found", $"No tenant '{tenantId}'.", "tenant_id");

    private static async Task<IResult> IssueKeyAsync(string tenantId, ITenantStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(tenantId, cancellationToken) is null)
        {
            return ApiError.NotFound("tenant_not_found", $"No tenant '{tenantId}'; create it first.", "tenant_id");
        }

        var key = ApiKeyHasher.NewKey();
        var hash = ApiKeyHasher.Hash(key);
        await store.AddKeyAsync(tenantId, hash, cancellationToken);
        return Results.Json(new IssuedApiKey(tenantId, key, hash), GatewayJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeKeyAsync(string keyHash, ITenantStore store, TenantAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeKeyAsync(keyHash, cancellationToken);
        authenticator.Forget();
        return revoked ? Results.NoContent() : ApiError.NotFound("key_not_found", "No key with that hash.", "key_hash");
    }

    private static async Task<IResult> UsageAsync(string tenantId, IUsageLedger usage, CancellationToken cancellationToken) =>
        Results.Json(new { tenant_id = tenantId, video_seconds_today = await usage.GetTodayAsync(tenantId, cancellationToken) }, GatewayJson.Options);

    private static void CheckTenantId(string tenantId)
    {
        if (!TenantIdPattern().IsMatch(tenantId))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "Tenant ids are 1-64 characters from a-z, A-Z, 0-9, '-' and '_'.", "tenant_id"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TenantIdPattern();
}
