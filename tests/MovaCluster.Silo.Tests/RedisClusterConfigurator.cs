using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MovaCluster.Silo.Tests;

/// <summary>Configures test-cluster silos and the client for Redis membership instead of the test membership table.</summary>
public sealed class RedisClusterConfigurator : ISiloConfigurator, IClientBuilderConfigurator
{
    public const string ConnectionStringKey = "RedisConnectionString";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var redis = ConfigurationOptions.Parse(siloBuilder.Configuration[ConnectionStringKey]!);
        siloBuilder.UseRedisClustering(options => options.ConfigurationOptions = redis);
    }

    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var redis = ConfigurationOptions.Parse(configuration[ConnectionStringKey]!);
        clientBuilder.UseRedisClustering(options => options.ConfigurationOptions = redis);
    }
}
