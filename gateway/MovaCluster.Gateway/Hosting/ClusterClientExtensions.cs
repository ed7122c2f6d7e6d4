using MovaCluster.Contracts;
using Microsoft.Extensions.Options;
using MovaCluster.ServiceDefaults.Cluster;
using MovaCluster.ServiceDefaults.Resilience;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class ClusterClientExtensions
{
    /// <summary>
    /// Connects this gateway to the cluster as an Orleans client: to a local embedded silo, or through Redis
    /// membership to every silo's gateway port. Grain calls that fail while a silo is being declared dead are retried
    /// (<see cref="ClusterCallRetryFilter"/>), and a call unanswered after <see cref="ResilienceOptions.ApiCallTimeout"/>
    /// counts as failed (its silo may have died with it). Not used when the gateway is co-hosted inside a silo.
    /// </summary>
    public static IHostApplicationBuilder AddMovaClusterClient(this IHostApplicationBuilder builder)
    {
        var options = builder.AddClusterHostingOptions();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });

            if (options.Mode == ClusterMode.Embedded)
            {
                client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            }
            else
            {
                var redis = ConfigurationOptions.Parse(options.RedisConnectionString!);
                client.UseRedisClustering(clustering => clustering.ConfigurationOptions = redis);
            }

            // Progress streams: the gateway subscribes to each watched job's stream (events, previews, webhooks).
            client.AddMemoryStreams(StreamNames.Provider);
            client.AddActivityPropagation();
            client.Services.AddOptions<ClientMessagingOptions>().Configure<IOptions<ResilienceOptions>>((messaging, resilience) =>
                messaging.ResponseTimeout = resilience.Value.ApiCallTimeout);
            client.UseConnectionRetryFilter<ClusterConnectionRetryFilter>();
            client.AddOutgoingGrainCallFilter<ClusterCallRetryFilter>();
        });
        return builder;
    }
}
