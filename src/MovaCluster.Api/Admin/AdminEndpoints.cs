using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>Largest tenant body read.</summary>
    public const int MaxTenantBodyBytes = 64 * 1024;

    private static async Task<IResult> UpsertTenantAsync(
        HttpContext context, string tenantId, ITenantStore store, TenantAuthenticator authenticator, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        CheckTenantId(tenantId);
        var patch = await ReadPatchAsync(context.Request, cancellationToken);
        var existing = await store.GetAsync(tenantId, cancellationToken);
        Tenant tenant;
        try
        {
            tenant = TenantPatch.Apply(existing ?? new Tenant
            {
                Id = tenantId,
                Quotas = options.Value.DefaultQuotas,
                IsOperator = false,
                WebhookSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            }, patch);
        }
        catch (InvalidOperationException failure)
        {
            // Names and strings are decoded as they are read: a lone surrogate escape shows up only here.
            return ApiError.BadRequest("invalid_json", $"The tenant body holds a string that is not valid Unicode text: {failure.Message}");
        }
        if (existing is { IsOperator: true } && !tenant.IsOperator && TenantContext.Get(context).Id == tenantId)
        {
            return ApiError.Conflict("operator_self_demotion",
                $"Tenant '{tenantId}' is the operator making this request: it cannot remove its own operator role (another operator can).", "is_operator");
        }

        await store.SaveAsync(tenant, cancellationToken);
        authenticator.Forget();
        return Results.Json(tenant, GatewayJson.Options, statusCode: existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<JsonObject> ReadPatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType("unsupported_content_type",
                $"Send the tenant as application/json (got '{request.ContentType ?? "no content type"}'); {{}} creates one with the defaults."));
        }

        if (request.ContentLength > MaxTenantBodyBytes)
        {
            throw new ApiErrorException(ApiError.TooLarge("request_too_large", $"The tenant body is larger than {MaxTenantBodyBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxTenantBodyBytes)
            {
                throw new ApiErrorException(ApiError.TooLarge("request_too_large", $"The tenant body is larger than {MaxTenantBodyBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject
                ?? throw new ApiErrorException(ApiError.BadRequest("invalid_json", "The tenant body must be a JSON object ({} for the defaults)."));
        }
        catch (JsonException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"The tenant body is not valid JSON: {failure.Message}"));
        }
        catch (InvalidOperationException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"The tenant body holds a string that is not valid Unicode text: {failure.Message}"));
        }
    }

    private static async Task<IResult> GetTenantAsync(string tenantId, ITenantStore store, CancellationToken cancellationToken)
    {
        CheckTenantId(tenantId);
        return Results.Json(await RequireTenantAsync(tenantId, store, cancellationToken), GatewayJson.Options);
    }

    private static async Task<IResult> IssueKeyAsync(string tenantId, ITenantStore store, CancellationToken cancellationToken)
    {
        CheckTenantId(tenantId);
        await RequireTenantAsync(tenantId, store, cancellationToken);
        var key = ApiKeyHasher.NewKey();
        var hash = ApiKeyHasher.Hash(key);
        await store.AddKeyAsync(tenantId, hash, cancellationToken);
        return Results.Json(new IssuedApiKey(tenantId, key, hash), GatewayJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeKeyAsync(string keyHash, ITenantStore store, TenantAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (!KeyHashPattern().IsMatch(keyHash))
        {
            return ApiError.BadRequest("invalid_value", "A key hash is the 64 lowercase hex digits of the key's SHA-256, as issued.", "key_hash");
        }

        var revoked = await store.RevokeKeyAsync(keyHash, cancellationToken);
        authenticator.Forget();
        return revoked ? Results.NoContent() : ApiError.NotFound("key_not_found", "No key with that hash.", "key_hash");
    }

    private static async Task<IResult> UsageAsync(string tenantId, ITenantStore store, IUsageLedger usage, CancellationToken cancellationToken)
    {
        CheckTenantId(tenantId);
        await RequireTenantAsync(tenantId, store, cancellationToken);
        return Results.Json(new { tenant_id = tenantId, video_seconds_today = await usage.GetTodayAsync(tenantId, cancellationToken) }, GatewayJson.Options);
    }

    private static async Task<Tenant> RequireTenantAsync(string tenantId, ITenantStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(tenantId, cancellationToken)
            ?? throw new ApiErrorException(ApiError.NotFound("tenant_not_found", $"No tenant '{tenantId}'; create it with PUT /admin/tenants/{tenantId}.", "tenant_id"));

    private static void CheckTenantId(string tenantId)
    {
        if (!TenantIdPattern().IsMatch(tenantId))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "Tenant ids are 1-64 characters from a-z, A-Z, 0-9, '-' and '_'.", "tenant_id"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TenantIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex KeyHashPattern();
}
