using MovaCluster.Testing;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MovaCluster.Silo.Tests;

/// <summary>Real redis-server: a plain round trip, and two silos that find each other through Redis membership.</summary>
public sealed class RedisClusterTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Redis_round_trip()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();
        var key = "roundtrip:" + Guid.NewGuid();

        await db.StringSetAsync(key, "mova", TimeSpan.FromMinutes(1));

        Assert.Equal("mova", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task Two_silos_form_a_cluster_through_redis_membership()
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[RedisClusterConfigurator.ConnectionStringKey] = redis.ConnectionString;
        builder.AddSiloBuilderConfigurator<RedisClusterConfigurator>();
        builder.AddClientBuilderConfigurator<RedisClusterConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(2, hosts.Count);

            var answers = await Task.WhenAll(Enumerable.Range(0, 40)
                .Select(i => cluster.Client.GetGrain<IEchoGrain>($"probe-{i}").EchoAsync("hi")));
            var silos = answers.Select(a => a["hi from ".Length..]).Distinct().ToList();
            Assert.Equal(2, silos.Count);

            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var membershipKeys = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: $"*{cluster.Options.ClusterId}*").ToList();
            Assert.NotEmpty(membershipKeys);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
