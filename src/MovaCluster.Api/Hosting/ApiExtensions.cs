using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Admin;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Content;
using MovaCluster.Api.Dashboard;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Errors.Connections;
using MovaCluster.Api.Events;
using MovaCluster.Api.Loras;
using MovaCluster.Api.Models;
using MovaCluster.Api.Proxy;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Videos;
using MovaCluster.Api.Waiting;
using MovaCluster.Api.Webhooks;
using MovaCluster.ServiceDefaults.Cluster;
using MovaCluster.ServiceDefaults.Health;
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
        services.TryAddSingleton(TimeProvider.System);

        var redis = builder.AddMovaApiStores();
        services.AddSingleton<IValidateOptions<GatewayOptions>>(_ => new GatewayOptionsValidator(InRedisMode(builder.Configuration)));
        if (redis is null)
        {
            services.TryAddSingleton<ICreateAttemptLog>(provider => new InMemoryCreateAttemptLog(provider.GetRequiredService<TimeProvider>()));
        }
        else
        {
            // A new name per process: a restarted gateway must not keep its dead predecessor's creates looking alive.
            services.TryAddSingleton(provider => new RedisCreateAttemptLog(
                provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName), Guid.NewGuid().ToString("N")));
            services.TryAddSingleton<ICreateAttemptLog>(provider => provider.GetRequiredService<RedisCreateAttemptLog>());
            services.AddHostedService<CreateAttemptLogPresence>();
        }

        services.TryAddSingleton<ImplicitIdempotency>();
        services.AddHostedService<DevelopmentTenantSeeder>();
        services.AddHostedService<OperatorKeySeeder>();
        services.TryAddSingleton<TenantAuthenticator>();
        services.TryAddSingleton<AnonymousTenant>();
        services.TryAddSingleton<ModelAvailability>();
        services.AddHostedService<WorkerWaitSweeper>();
        services.TryAddSingleton<InMemoryTenantRateLimiter>();
        services.AddMovaStorage(builder.Configuration);
        services.AddReadinessCheck("clip-store", provider => new ClipStoreHealthCheck(provider.GetRequiredService<IClipStore>()));
        services.TryAddSingleton<IVideoContentSource, ClipStoreContentSource>();
        services.TryAddSingleton<JobEventHub>();
        services.TryAddSingleton<AssetJanitor>();
        services.TryAddSingleton<VideoRequestReader>();
        services.TryAddSingleton<CacheTierCatalog>();
        services.TryAddSingleton<VideoRequestValidator>();
        services.TryAddSingleton<JobSnapshotCache>();
        services.TryAddSingleton<TenantQueueCounts>();
        services.TryAddSingleton<VideoService>();
        services.AddHostedService<UsageRefunder>();
        services.AddOptions<LoraApiOptions>().BindConfiguration(LoraApiOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LoraApiOptions>, LoraApiOptionsValidator>());
        services.TryAddSingleton<LoraService>();
        services.TryAddSingleton<WebhookNotifier>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookNotifier>());
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        services.TryAddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.TryAddSingleton(provider => new LocalAddresses(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WebhookAddressGuard>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => WebhookDispatcher.CreateHandler(provider.GetRequiredService<WebhookAddressGuard>()));

        services.Configure<KestrelServerOptions>(ErrorBodyConnection.AddTo);
        services.AddMovaDashboard();
        services.AddOpenApi();
        services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        return builder;
    }

    /// <summary>
    /// Only what checks operator keys (the key store and its authenticator), for a host that serves operator-only tools
    /// (a silo's Orleans dashboard) without the API: <see cref="UseMovaOperatorGate"/> puts the check in front of them.
    /// </summary>
    public static IHostApplicationBuilder AddMovaOperatorGate(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMovaApiStores();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<TenantAuthenticator>();
        return builder;
    }

    /// <summary>Lets only operator keys through to the paths under <paramref name="path"/> (see <see cref="OperatorPathGate"/>).</summary>
    public static WebApplication UseMovaOperatorGate(this WebApplication app, PathString path)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<OperatorPathGate>(path);
        return app;
    }

    /// <summary>
    /// The API's own stores (keys, video index, idempotency, usage, rate limits, webhooks): in Redis when the host has
    /// one — <c>Mova:Gateway:RedisConnectionString</c>, or else the cluster's <c>Mova:Cluster:RedisConnectionString</c>
    /// in Redis mode — so every gateway shares them and they outlive a restart; in this process's memory only in the
    /// embedded single-process deployment. Returns the connection string used (null: memory). Calling it again changes
    /// nothing.
    /// </summary>
    private static string? AddMovaApiStores(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var redis = ApiRedisConnectionString(builder.Configuration);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ITenantStore)))
        {
            return redis;
        }

        if (redis is null)
        {
            services.TryAddSingleton<ITenantStore, InMemoryTenantStore>();
            services.TryAddSingleton<IVideoIndex, InMemoryVideoIndex>();
            services.TryAddSingleton<IUsageLedger, InMemoryUsageLedger>();
            services.TryAddSingleton<ITenantRateLimiter>(provider => provider.GetRequiredService<InMemoryTenantRateLimiter>());
            services.TryAddSingleton<IWebhookOutbox, InMemoryWebhookOutbox>();
            services.TryAddSingleton<IWebhookWatchList, InMemoryWebhookWatchList>();
            services.TryAddSingleton<IWorkerWaitList, InMemoryWorkerWaitList>();
            return null;
        }

        var connection = ConfigurationOptions.Parse(redis);
        // Start, and answer 503 at once rather than after a timeout, while Redis is down (clients retry); the connection
        // comes up, and comes back, by itself.
        connection.AbortOnConnectFail = false;
        connection.BacklogPolicy = BacklogPolicy.FailFast;
        services.AddKeyedSingleton<IConnectionMultiplexer>(GatewayOptions.SectionName, (_, _) => ConnectionMultiplexer.Connect(connection));
        services.AddReadinessCheck("redis-api", provider => new RedisHealthCheck(provider.GetRequiredKeyedService<IConnectionMultiplexer>(GatewayOptions.SectionName), "API stores"));
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
        return redis;
    }

    private static string? ApiRedisConnectionString(IConfiguration configuration)
    {
        if (configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.RedisConnectionString)}"] is { Length: > 0 } own)
        {
            return own;
        }

        var cluster = ClusterSettings(configuration);
        return cluster.Mode == ClusterMode.Redis && !string.IsNullOrWhiteSpace(cluster.RedisConnectionString) ? cluster.RedisConnectionString : null;
    }

    /// <summary>Redis mode is production: no development keys, and an operator key must be configured.</summary>
    private static bool InRedisMode(IConfiguration configuration) => ClusterSettings(configuration).Mode == ClusterMode.Redis;

    private static ClusterHostingOptions ClusterSettings(IConfiguration configuration) =>
        configuration.GetSection(ClusterHostingOptions.SectionName).Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();

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
