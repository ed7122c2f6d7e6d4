using MovaCluster.ServiceDefaults.Cluster;
using MovaCluster.Silo.Hosting;

namespace Microsoft.Extensions.Hosting;

public static class SiloHttpExtensions
{
    /// <summary>
    /// The silo's HTTP surface besides health and metrics: the whole API where <see cref="SiloApiOptions.ServeApi"/>
    /// says so (by default only in Embedded mode), otherwise only the operator-key check that guards the Orleans
    /// dashboard.
    /// </summary>
    public static IHostApplicationBuilder AddMovaSiloHttp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return ServesApi(builder.Configuration) ? builder.AddMovaApi() : builder.AddMovaOperatorGate();
    }

    /// <summary>Maps what <see cref="AddMovaSiloHttp"/> registered, and the Orleans dashboard behind an operator key.</summary>
    public static WebApplication MapMovaSiloHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (ServesApi(app.Configuration))
        {
            app.MapMovaApi();
        }
        else
        {
            app.UseMovaOperatorGate(OrleansDashboardExtensions.RoutePrefix);
        }

        return app.MapMovaOrleansDashboard();
    }

    private static bool ServesApi(IConfiguration configuration)
    {
        var options = configuration.GetSection(SiloApiOptions.SectionName).Get<SiloApiOptions>() ?? new SiloApiOptions();
        var mode = configuration.GetSection(ClusterHostingOptions.SectionName).Get<ClusterHostingOptions>()?.Mode ?? ClusterMode.Embedded;
        return options.ServeApi ?? mode == ClusterMode.Embedded;
    }
}
