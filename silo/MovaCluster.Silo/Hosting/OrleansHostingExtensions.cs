using MovaCluster.Grains.Hosting;
using MovaCluster.Media;
using MovaCluster.ServiceDefaults.Cluster;
using MovaCluster.ServiceDefaults.Health;
using MovaCluster.Silo.Hosting;
using MovaCluster.Storage;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// Orleans failure-detection settings (<see cref="ClusterMembershipOptions"/>: probe timeout, missed probes, votes)
    /// in Redis mode; Orleans' defaults apply to whatever is not set.
    /// </summary>
    public const string MembershipSection = "Mova:Cluster:Membership";

    /// <summary>
    /// Hosts an Orleans silo in this process: embedded (localhost clustering, memory providers) or as a member of a
    /// Redis-backed cluster, as <see cref="ClusterHostingOptions"/> says, running the MOVA runtime (jobs, queue,
    /// one device worker per configured device). Invalid options, or a machine that lacks what the workers need (ffmpeg,
    /// native libraries, writable folders), stop the host at start with what is missing. Readiness (/health) follows
    /// cluster membership, Redis (in Redis mode) and the clip store.
    /// </summary>
    public static IHostApplicationBuilder AddMovaSilo(this IHostApplicationBuilder builder)
    {
        var options = builder.AddClusterHostingOptions();
        builder.Services.AddMovaWorkerHostPreflight();
        builder.Services.AddSingleton<FfmpegHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("orleans-silo")
            .AddCheck<FfmpegHealthCheck>("ffmpeg")
            .AddCheck<DeviceWorkersHealthCheck>("device-workers");
        builder.Services.AddMovaMedia(builder.Configuration);
        builder.Services.AddMovaStorage(builder.Configuration);
        builder.Services.AddReadinessCheck("clip-store", provider => new ClipStoreHealthCheck(provider.GetRequiredService<IClipStore>()));
        if (options.Mode == ClusterMode.Redis)
        {
            builder.Services.AddReadinessCheck("redis", provider => new RedisHealthCheck(provider.GetRequiredService<IConnectionMultiplexer>(), "cluster"));
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });

            if (options.Mode == ClusterMode.Embedded)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddMemoryGrainStorageAsDefault();
                silo.AddMovaMemoryProviders();
            }
            else
            {
                var redis = ConfigurationOptions.Parse(options.RedisConnectionString!);
                silo.UseRedisClustering(clustering => clustering.ConfigurationOptions = redis);
                silo.AddRedisGrainStorageAsDefault(storage => storage.ConfigurationOptions = redis);
                silo.AddMovaEndpoints(options);
                silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration(MembershipSection);
                silo.AddMovaRedisProviders(options.RedisConnectionString!);
            }

            silo.AddMovaRuntime();
            silo.AddMovaMp4Publishing();
            silo.AddActivityPropagation();
            silo.AddDashboard();
        });
        return builder;
    }
}
