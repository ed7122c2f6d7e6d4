using MovaCluster.Api.Errors;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Proxy;

/// <summary>
/// Step of the YARP pipeline: routes whose metadata has <c>"Mova.Access": "operator"</c> (the Orleans dashboard,
/// internal silo endpoints) need an operator key; <c>"tenant"</c> needs any valid key; other routes are public
/// (e.g. presigned clip links, which carry their own signature).
/// </summary>
public static class OperatorRouteGate
{
    public const string AccessKey = "Mova.Access";

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var access = context.GetReverseProxyFeature().Route.Config.Metadata?.GetValueOrDefault(AccessKey);
        if (access is "operator" or "tenant")
        {
            var apiKey = TenantAuthenticator.ReadApiKey(context.Request);
            var tenant = apiKey is null
                ? null
                : await context.RequestServices.GetRequiredService<TenantAuthenticator>().AuthenticateAsync(apiKey, context.RequestAborted);
            if (tenant is null)
            {
                await ApiError.Unauthorized("This route needs an API key.").ExecuteAsync(context);
                return;
            }

            if (access == "operator" && !tenant.IsOperator)
            {
                await ApiError.Forbidden("This route needs an operator key.").ExecuteAsync(context);
                return;
            }
        }

        await next();
    }
}
