namespace Microsoft.Extensions.Hosting;

public static class GatewayExtensions
{
    /// <summary>
    /// The gateway's HTTP surface: the OpenAPI document and configuration-driven YARP routes (the <c>ReverseProxy</c>
    /// section), e.g. clip downloads from object storage or the Orleans dashboard. Used by the gateway host and by an
    /// embedded silo that serves the gateway from its own process.
    /// </summary>
    public static IHostApplicationBuilder AddMovaGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        return builder;
    }

    public static WebApplication MapMovaGateway(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapReverseProxy();
        return app;
    }
}
