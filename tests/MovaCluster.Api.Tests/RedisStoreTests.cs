using Microsoft.Extensions.Time.Testing;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Videos;
using MovaCluster.Testing;
using StackExchange.Redis;

namespace MovaCluster.Api.Tests;

/// <summary>The Redis stores a multi-gateway deployment uses, against a real redis-server, checked against the in-memory ones.</summary>
public sealed class RedisStoreTests : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisFixture _redis;
    private ConnectionMultiplexer? _connection;

    public RedisStoreTests(RedisFixture redis) => _redis = redis;

    private ConnectionMultiplexer Connection => _connection!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Redis_and_memory_indexes_page_identically_in_both_orders()
    {
        var tenant = $"t{Guid.NewGuid():N}";
        var start = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        // Two videos share a millisecond: ordering then falls to ticks and ids.
        var records = Enumerable.Range(0, 7).Select(i => new VideoRecord
        {
            Id = VideoIds.New(),
            TenantId = tenant,
            CreatedAt = start.AddTicks(i * 3_000),
            Model = "mova-tiny",
            Prompt = $"clip {i}",
            FrameCount = 9,
            Fps = 8,
            Width = 64,
            Height = 48,
            Metadata = new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }).ToList();
        IVideoIndex redis = new RedisVideoIndex(Connection);
        IVideoIndex memory = new InMemoryVideoIndex();
        foreach (var record in records)
        {
            Assert.True(await redis.AddAsync(record, CancellationToken.None));
            Assert.True(await memory.AddAsync(record, CancellationToken.None));
        }

        Assert.False(await redis.AddAsync(records[0], CancellationToken.None));
        Assert.Null(await redis.GetAsync("someone-else", records[0].Id, CancellationToken.None));
        Assert.Equal(records[3].Metadata, (await redis.GetAsync(tenant, records[3].Id, CancellationToken.None))!.Metadata);

        foreach (var ascending in new[] { true, false })
        {
            var fromRedis = await PageAllAsync(redis, tenant, ascending);
            var fromMemory = await PageAllAsync(memory, tenant, ascending);
            var expected = ascending ? records.Select(r => r.Id) : Enumerable.Reverse(records).Select(r => r.Id);
            Assert.Equal(expected, fromRedis);
            Assert.Equal(expected, fromMemory);
        }

        Assert.True(await redis.RemoveAsync(tenant, records[2].Id, deleted: true, CancellationToken.None));
        Assert.Equal(6, (await PageAllAsync(redis, tenant, true)).Count);
        Assert.True(await redis.WasDeletedAsync(tenant, records[2].Id, CancellationToken.None));

        // Undoing a failed create removes without a tombstone: the same id may be created again.
        Assert.True(await redis.RemoveAsync(tenant, records[3].Id, deleted: false, CancellationToken.None));
        Assert.False(await redis.WasDeletedAsync(tenant, records[3].Id, CancellationToken.None));
    }

    /// <summary>
    /// The second of an index change's writes failing (here refused by an ACL; in production the gateway dying or Redis
    /// going away between them) must not leave a video that answers by id but is never listed, or the reverse.
    /// </summary>
    [Theory]
    [InlineData("zadd")]
    [InlineData("del", "unlink")]
    public async Task An_index_change_whose_second_write_fails_changes_nothing(params string[] refused)
    {
        var tenant = $"t{Guid.NewGuid():N}";
        var user = $"no-{refused[0]}-{Guid.NewGuid():N}";
        await Connection.GetDatabase().ExecuteAsync("ACL", ["SETUSER", user, "on", ">index-test-password", "~*", "&*", "+@all", .. refused.Select(command => $"-{command}")]);
        var options = ConfigurationOptions.Parse(_redis.ConnectionString);
        options.User = user;
        options.Password = "index-test-password";
        await using var limited = await ConnectionMultiplexer.ConnectAsync(options);
        IVideoIndex full = new RedisVideoIndex(Connection);
        IVideoIndex halfAllowed = new RedisVideoIndex(limited);
        var record = new VideoRecord
        {
            Id = VideoIds.New(),
            TenantId = tenant,
            CreatedAt = DateTimeOffset.UtcNow,
            Model = "mova-tiny",
            Prompt = "a half-written index entry",
            FrameCount = 9,
            Fps = 8,
            Width = 64,
            Height = 48,
        };

        if (refused[0] == "zadd")
        {
            await Assert.ThrowsAnyAsync<RedisException>(() => halfAllowed.AddAsync(record, CancellationToken.None));
            Assert.Null(await full.GetAsync(tenant, record.Id, CancellationToken.None));
            Assert.Empty(await PageAllAsync(full, tenant, ascending: true));
            Assert.True(await full.AddAsync(record, CancellationToken.None));
        }
        else
        {
            Assert.True(await full.AddAsync(record, CancellationToken.None));
            await Assert.ThrowsAnyAsync<RedisException>(() => halfAllowed.RemoveAsync(tenant, record.Id, deleted: true, CancellationToken.None));
            Assert.False(await full.WasDeletedAsync(tenant, record.Id, CancellationToken.None));
        }

        Assert.NotNull(await full.GetAsync(tenant, record.Id, CancellationToken.None));
        Assert.Equal([record.Id], await PageAllAsync(full, tenant, ascending: true));
    }

    [Fact]
    public async Task Keys_resolve_to_tenants_by_hash_only_and_revocation_is_immediate()
    {
        var store = new RedisTenantStore(Connection);
        var tenant = new Tenant { Id = $"t{Guid.NewGuid():N}", WebhookSecret = "s", Quotas = new TenantQuotas { MaxQueuedJobs = 7 } };
        await store.SaveAsync(tenant, CancellationToken.None);
        var key = ApiKeyHasher.NewKey();
        await store.AddKeyAsync(tenant.Id, ApiKeyHasher.Hash(key), CancellationToken.None);

        Assert.Equal(tenant, await store.FindByKeyHashAsync(ApiKeyHasher.Hash(key), CancellationToken.None));
        var server = Connection.GetServer(Connection.GetEndPoints()[0]);
        await foreach (var redisKey in server.KeysAsync(pattern: "mova:gw:*"))
        {
            Assert.DoesNotContain(key, redisKey.ToString(), StringComparison.Ordinal);
            if (Connection.GetDatabase().KeyType(redisKey) == RedisType.String)
            {
                Assert.DoesNotContain(key, (await Connection.GetDatabase().StringGetAsync(redisKey)).ToString(), StringComparison.Ordinal);
            }
        }

        Assert.True(await store.RevokeKeyAsync(ApiKeyHasher.Hash(key), CancellationToken.None));
        Assert.Null(await store.FindByKeyHashAsync(ApiKeyHasher.Hash(key), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddKeyAsync("no-such-tenant", "abc", CancellationToken.None));
    }

    [Fact]
    public async Task The_usage_ledger_never_passes_the_limit_under_concurrency_and_resets_each_day()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero));
        var ledger = new RedisUsageLedger(Connection, time);
        var tenant = $"t{Guid.NewGuid():N}";
        var granted = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ledger.TryReserveAsync(tenant, 1.5, 10, CancellationToken.None)));
        Assert.Equal(6, granted.Count(ok => ok));
        Assert.Equal(9.0, await ledger.GetTodayAsync(tenant, CancellationToken.None));
        await ledger.ReleaseAsync(tenant, 1.5, CancellationToken.None);
        Assert.Equal(7.5, await ledger.GetTodayAsync(tenant, CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await ledger.GetTodayAsync(tenant, CancellationToken.None));
        Assert.True(await ledger.TryReserveAsync(tenant, 10, 10, CancellationToken.None));
    }

    private static async Task<List<string>> PageAllAsync(IVideoIndex index, string tenant, bool ascending)
    {
        var ids = new List<string>();
        VideoRecord? cursor = null;
        VideoPage page;
        do
        {
            page = await index.ListAsync(tenant, cursor, 3, ascending, CancellationToken.None);
            ids.AddRange(page.Items.Select(r => r.Id));
            cursor = page.Items.LastOrDefault();
        }
        while (page.HasMore);

        return ids;
    }
}
