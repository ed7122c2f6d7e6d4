using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace MovaCluster.Api.Webhooks;

/// <summary>
/// The outbox in Redis, shared by all gateways: <c>mova:gw:webhooks:due</c> (a sorted set of delivery ids scored by
/// the Unix ms they are due, or claimed until) and <c>mova:gw:webhooks:deliveries</c> (a hash of id to the delivery
/// as JSON). Claiming is one Lua script, so two gateways never claim the same delivery at once.
/// </summary>
public sealed class RedisWebhookOutbox(IConnectionMultiplexer redis) : IWebhookOutbox
{
    public static readonly RedisKey DueKey = "mova:gw:webhooks:due";
    public static readonly RedisKey DeliveriesKey = "mova:gw:webhooks:deliveries";

    private const string RescheduleScript = """
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
          redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        end
        return 1
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    public Task AddAsync(WebhookDelivery delivery, DateTimeOffset due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return Db.ScriptEvaluateAsync(RedisLeaseScripts.AddIfAbsent, [DueKey, DeliveriesKey], [delivery.WebhookId, Serialize(delivery), Score(due)]);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset claimedUntil, int max, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(RedisLeaseScripts.Claim, [DueKey, DeliveriesKey],
            [Score(now), Score(claimedUntil), max.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return ((RedisResult[])result!)
            .Select(item => JsonSerializer.Deserialize<WebhookDelivery>((string)item!, Json)
                ?? throw new InvalidDataException("An empty webhook delivery is in the outbox."))
            .ToList();
    }

    public Task RescheduleAsync(WebhookDelivery delivery, DateTimeOffset due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return Db.ScriptEvaluateAsync(RescheduleScript, [DueKey, DeliveriesKey], [delivery.WebhookId, Serialize(delivery), Score(due)]);
    }

    public async Task RemoveAsync(string webhookId, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(DueKey, webhookId);
        _ = transaction.HashDeleteAsync(DeliveriesKey, webhookId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    private static string Serialize(WebhookDelivery delivery) => JsonSerializer.Serialize(delivery, Json);

    private static string Score(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
