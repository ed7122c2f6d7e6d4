using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Videos;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Api.Tests.Faults;

/// <summary>
/// A create without an Idempotency-Key is safe to retry: after an answer in doubt (a 503 because a silo was being
/// declared dead or the store blinked, a dropped connection), the same request runs under the same implicit key, so
/// the video the first try may have created is the one the retry gets. A definite answer leaves nothing behind.
/// </summary>
public sealed class ImplicitIdempotencyTests
{
    private readonly ImplicitIdempotency _idempotency = new(
        new InMemoryCreateAttemptLog(new FakeTimeProvider()), Options.Create(new GatewayOptions()), TimeProvider.System, NullLogger<ImplicitIdempotency>.Instance);

    private readonly Tenant _tenant = new() { Id = "acme", WebhookSecret = "acme-webhook-secret" };

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task After_an_answer_in_doubt_the_retry_continues_the_same_create(string? retryCount)
    {
        var keys = new List<string>();

        await Assert.ThrowsAsync<TimeoutException>(() => _idempotency.CreateAsync(Context("0"), _tenant, Request("a boat"), key =>
        {
            keys.Add(key);
            throw new TimeoutException("the silo is being declared dead");
        }));
        await _idempotency.CreateAsync(Context(retryCount), _tenant, Request("a boat"), key => Video(keys, key));
        await _idempotency.CreateAsync(Context(retryCount), _tenant, Request("a boat"), key => Video(keys, key));

        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[1], keys[2]);
        Assert.StartsWith("implicit:", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definite_refusal_or_a_first_try_never_continues_an_earlier_create()
    {
        var keys = new List<string>();

        await Assert.ThrowsAsync<ApiErrorException>(() => _idempotency.CreateAsync(Context(null), _tenant, Request("refused"), key =>
        {
            keys.Add(key);
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "no"));
        }));
        await _idempotency.CreateAsync(Context("1"), _tenant, Request("refused"), key => Video(keys, key));
        await Assert.ThrowsAsync<TimeoutException>(() => _idempotency.CreateAsync(Context(null), _tenant, Request("twins"), key =>
        {
            keys.Add(key);
            throw new TimeoutException();
        }));
        await _idempotency.CreateAsync(Context("0"), _tenant, Request("twins"), key => Video(keys, key));
        await _idempotency.CreateAsync(Context(null), _tenant, Request("other"), key => Video(keys, key));

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public async Task A_retry_continues_a_create_still_in_flight_whose_client_gave_up_waiting()
    {
        var keys = new List<string>();
        var firstTry = new TaskCompletionSource<VideoObject>();
        using var gaveUp = new CancellationTokenSource();
        var first = _idempotency.CreateAsync(Context("0", gaveUp.Token), _tenant, Request("slow"), key =>
        {
            keys.Add(key);
            return firstTry.Task;
        });

        await gaveUp.CancelAsync();
        await _idempotency.CreateAsync(Context("2"), _tenant, Request("slow"), key => Video(keys, key));
        firstTry.SetResult(await Video([], keys[0]));
        await first;

        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task A_create_that_finishes_after_its_client_gave_up_is_what_the_retry_gets()
    {
        var keys = new List<string>();
        using var gaveUp = new CancellationTokenSource();
        var context = Context("0", gaveUp.Token);
        await _idempotency.CreateAsync(context, _tenant, Request("unanswered"), async key =>
        {
            await gaveUp.CancelAsync();
            return await Video(keys, key);
        });

        await _idempotency.CreateAsync(Context("1"), _tenant, Request("unanswered"), key => Video(keys, key));

        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task A_retry_never_continues_an_identical_create_whose_client_still_waits()
    {
        var keys = new List<string>();
        var twin = new TaskCompletionSource<VideoObject>();
        var waiting = _idempotency.CreateAsync(Context("0"), _tenant, Request("twins sent on purpose"), key =>
        {
            keys.Add(key);
            return twin.Task;
        });

        // Another call whose own first try failed at once (a refused connection leaves nothing behind) retries.
        await _idempotency.CreateAsync(Context("1"), _tenant, Request("twins sent on purpose"), key => Video(keys, key));
        twin.SetResult(await Video([], keys[0]));
        await waiting;

        Assert.NotEqual(keys[0], keys[1]);
    }

    private static DefaultHttpContext Context(string? retryCount, CancellationToken aborted = default)
    {
        var context = new DefaultHttpContext { RequestAborted = aborted };
        if (retryCount is not null)
        {
            context.Request.Headers[ImplicitIdempotency.RetryCountHeader] = retryCount;
        }

        return context;
    }

    private static ValidatedVideoRequest Request(string prompt) => new()
    {
        Model = "mova-tiny",
        Generation = new GenerationRequest { Prompt = prompt, Width = 64, Height = 48, FrameCount = 9, Steps = 4, Seed = 7 },
    };

    private static Task<VideoObject> Video(List<string> keys, string key)
    {
        keys.Add(key);
        return Task.FromResult(new VideoObject { Id = "video_" + key, Model = "mova-tiny", Status = "queued", Seconds = "1", Size = "64x48" });
    }
}
