namespace MovaCluster.Api.Tenancy;

/// <summary>The authenticated tenant of the current request.</summary>
public static class TenantContext
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Key] = tenant;
    }

    public static Tenant Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[Key] as Tenant
            ?? throw new InvalidOperationException("No tenant on this request: the endpoint is missing the tenant gate filter.");
    }
}
