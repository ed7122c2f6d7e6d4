using Orleans.Dashboard;

namespace Microsoft.Extensions.Hosting;

public static class OrleansDashboardExtensions
{
    /// <summary>Where this host serves the Orleans dashboard; operators reach it through the gateway's YARP route.</summary>
    public const string RoutePrefix = MovaCluster.Api.Dashboard.DashboardExtensions.OrleansDashboardPath;

    /// <summary>
    /// Serves the Orleans dashboard (grain and silo statistics, for deep debugging) at <see cref="RoutePrefix"/>.
    /// Not for direct exposure: the gateway's ReverseProxy route in front of it requires an operator key.
    /// </summary>
    public static WebApplication MapMovaOrleansDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOrleansDashboard(RoutePrefix);
        return app;
    }
}
