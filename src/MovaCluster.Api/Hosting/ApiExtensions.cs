using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Admin;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Content;
using MovaCluster.Api.Dashboard;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Events;
using MovaCluster.Api.Loras;
using MovaCluster.Api.Models;
using MovaCluster.Api.Proxy;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Videos;
using MovaCluster.Api.Waiting;
using MovaCluster.Api.Webhooks;
using MovaCluster.Storage;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>The HTTP surface both hosts serve: the gateway host through its Orleans client, an embedded silo in-process.</summary>
public static class ApiExtensions
{
    /// <summary>
    /// The HTTP surface: the OpenAI-compatible video API with its tenancy, streaming and webhooks, the
    /// operator endpoints, the OpenAPI document and configuration-driven YARP routes (the <c>ReverseProxy</c> section,
    /// with active and passive destination health checks and per-route access via <see cref="OperatorRouteGate"/>).
    /// Needs an Orleans <see cref="IClusterClient"/>: the gateway host adds one, an embedded silo has its own.
    /// </summary>
    public static IHostApplicationBuilder AddMovaApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var redis = builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.RedisConnectionString)}"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.TryAddSingleton<ITenantStore, InMemoryTenantStore>();
            services.TryAddSingleton<IVideoIndex, InMemoryVideoIndex>();
            services.TryAddSingleton<IUsageLedger, InMemoryUsageLedger>();
            services.TryAddSingleton<ITenantRateLimiter>(provider => provider.GetRequiredService<InMemoryTenantRateLimiter>());
            services.TryAddSingleton<IWebhookOutbox, InMemoryWebhookOutbox>();
            services.TryAddSingleton<IWebhookWatchList, InMemoryWebhookWatchList>();
            services.TryAddSingleton<IWorkerWaitList, InMemoryWorkerWaitList>();
        }
        else
        {
            services.AddKeyedSingleton<IConnectionMultiplexer>(GatewayOptions.SectionName, (_, _) => ConnectionMultiplexer.Connect(redis));
            services.TryAddSingleton<ITenantStore>(provider => new RedisTenantStore(provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName)));
            services.TryAddSingleton<IVideoIndex>(provider => new RedisVideoIndex(provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName)));
            services.TryAddSingleton<IUsageLedger>(provider => new RedisUsageLedger(
                provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName), provider.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<ITenantRateLimiter>(provider => new RedisTenantRateLimiter(
                provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName),
                provider.GetRequiredService<InMemoryTenantRateLimiter>(),
                provider.GetRequiredService<ILogger<RedisTenantRateLimiter>>()));
            services.TryAddSingleton<IWebhookOutbox>(provider => new RedisWebhookOutbox(provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName)));
            services.TryAddSingleton<IWebhookWatchList>(provider => new RedisWebhookWatchList(provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName)));
            services.TryAddSingleton<IWorkerWaitList>(provider => new RedisWorkerWaitList(provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName)));
        }

        services.AddHostedService<DevelopmentTenantSeeder>();
        services.AddHostedService<OperatorKeySeeder>();
        services.TryAddSingleton<TenantAuthenticator>();
        services.TryAddSingleton<AnonymousTenant>();
        services.TryAddSingleton<ModelAvailability>();
        services.AddHostedService<WorkerWaitSweeper>();
        services.TryAddSingleton<InMemoryTenantRateLimiter>();
        services.AddMovaStorage(builder.Configuration);
        services.TryAddSingleton<IVideoContentSource, ClipStoreContentSource>();
        services.TryAddSingleton<JobEventHub>();
        services.TryAddSingleton<AssetJanitor>();
        services.TryAddSingleton<VideoRequestReader>();
        services.TryAddSingleton<VideoRequestValidator>();
        services.TryAddSingleton<JobSnapshotCache>();
        services.TryAddSingleton<TenantQueueCounts>();
        services.TryAddSingleton<VideoService>();
        services.AddOptions<LoraApiOptions>().BindConfiguration(LoraApiOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LoraApiOptions>, LoraApiOptionsValidator>());
        services.TryAddSingleton<LoraService>();
        services.TryAddSingleton<WebhookNotifier>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookNotifier>());
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        services.AddHttpClient(WebhookDispatcher.HttpClientName);

        services.AddMovaDashboard();
        services.AddOpenApi();
        services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        return builder;
    }

    public static WebApplication MapMovaApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseWebSockets();
        app.MapOpenApi();

        var authenticator = app.Services.GetRequiredService<TenantAuthenticator>();
        var limiter = app.Services.GetRequiredService<ITenantRateLimiter>();
        var anonymous = app.Services.GetRequiredService<AnonymousTenant>();
        app.MapGroup("/v1")
            .AddEndpointFilter(new TenantGateFilter(authenticator, limiter, operatorOnly: false, anonymous))
            .MapVideoEndpoints()
            .MapModelEndpoints()
            .MapLoraEndpoints()
            .MapSglangLoraEndpoints();
        app.MapGroup("")
            .AddEndpointFilter(new TenantGateFilter(authenticator, limiter, operatorOnly: false, anonymous))
            .MapSglangModelEndpoint();
        app.MapGroup("/admin")
            .AddEndpointFilter(new TenantGateFilter(authenticator, limiter, operatorOnly: true))
            .MapAdminEndpoints();

        app.MapMovaDashboard(new TenantGateFilter(authenticator, limiter, operatorOnly: true));
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(OperatorRouteGate.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
