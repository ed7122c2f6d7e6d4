using System.Text;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Dashboard;

/// <summary>
/// Guards proxied operator tools (the Orleans dashboard behind <see cref="DashboardExtensions.OrleansDashboardPath"/>):
/// only an operator key passes, as a Bearer token, X-API-Key, or as the password of HTTP Basic authentication,
/// which browsers prompt for and then repeat on every request the proxied page makes.
/// </summary>
public sealed class OperatorPathGate(RequestDelegate next, PathString path)
{
    public async Task InvokeAsync(HttpContext context, TenantAuthenticator authenticator)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authenticator);
        if (!context.Request.Path.StartsWithSegments(path))
        {
            await next(context);
            return;
        }

        var key = TenantAuthenticator.ReadApiKey(context.Request) ?? BasicPassword(context.Request);
        var tenant = string.IsNullOrEmpty(key) ? null : await authenticator.AuthenticateAsync(key, context.RequestAborted);
        if (tenant is not { IsOperator: true })
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"MovaCluster operator\", charset=\"UTF-8\"";
            const string hint = "An operator key is needed (any user name, the key as password).";
            await (tenant is null ? ApiError.Unauthorized(hint) : ApiError.Forbidden(hint)).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static string? BasicPassword(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
