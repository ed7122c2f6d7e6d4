using System.Text.RegularExpressions;

namespace MovaCluster.Contracts.Loras;

/// <summary>
/// Who owns an adapter: one tenant (<c>tenant/{id}</c>) or the operator's shared scope (<see cref="Shared"/>), whose
/// adapters every tenant may use. The scope is also the key of its <see cref="ILoraRegistryGrain"/>.
/// </summary>
public static partial class LoraScopes
{
    /// <summary>The operator's adapters, visible to every tenant.</summary>
    public const string Shared = "shared";

    private const string TenantPrefix = "tenant/";

    /// <summary>The scope of one tenant's own adapters.</summary>
    public static string Tenant(string tenantId)
    {
        if (!TenantIdPattern().IsMatch(tenantId ?? ""))
        {
            throw new ArgumentException($"'{tenantId}' is not a tenant id.", nameof(tenantId));
        }

        return TenantPrefix + tenantId;
    }

    public static bool IsShared(string scope) => scope == Shared;

    /// <summary>The tenant of a tenant scope; throws for the shared scope or a malformed one.</summary>
    public static string TenantOf(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var tenant = scope.StartsWith(TenantPrefix, StringComparison.Ordinal) ? scope[TenantPrefix.Length..] : "";
        return TenantIdPattern().IsMatch(tenant) ? tenant : throw new ArgumentException($"'{scope}' is not a tenant's LoRA scope.", nameof(scope));
    }

    /// <summary>"shared" or "tenant", as the API reports a scope.</summary>
    public static string Kind(string scope) => IsShared(scope) ? "shared" : "tenant";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex TenantIdPattern();
}
