using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using MovaCluster.Api.Tests.Fuzz;
using Xunit.Abstractions;

namespace MovaCluster.Api.Tests;

/// <summary>
/// A bounded, seeded fuzz run over every route of the API, admin and dashboard surfaces and the host's own paths,
/// through a real Kestrel socket: thousands of hostile requests from <see cref="HostileRequests"/> (HttpClient) and
/// <see cref="RawRequests"/> (raw TCP). Every answer must be below 500 and every error a JSON body of its surface's
/// shape; afterwards the fuzzing tenant holds exactly the videos its accepted creates made and is charged exactly
/// their seconds, the bystander tenant's video and charge are untouched, and the server is healthy.
/// </summary>
public sealed class HostileTrafficTests(FuzzGateway gateway, ITestOutputHelper output) : IClassFixture<FuzzGateway>
{
    public const int RequestsPerSeed = 1_500;
    public const int RawRequestsPerSeed = 200;
    private const int Concurrency = 4;

    [Fact]
    public async Task No_request_of_any_shape_gets_a_5xx_or_a_non_json_error_and_rejected_requests_create_and_charge_nothing()
    {
        var clock = Stopwatch.StartNew();
        var failures = new ConcurrentQueue<string>();
        var accepted = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var statuses = new ConcurrentDictionary<int, int>();
        var bystanderUsage = await gateway.UsageAsync(gateway.BystanderId);
        var sent = 0;
        var unanswered = 0;
        foreach (var seed in new[] { 1801, 1802, 1803 })
        {
            var requests = new HostileRequests(seed, gateway.TenantKey, Infrastructure.GatewayFactory.OperatorKey, gateway.BystanderVideo).Take(RequestsPerSeed).ToList();
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            {
                Interlocked.Increment(ref sent);
                if (await SendAsync(request, accepted) is var (status, problem))
                {
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (problem is not null)
                    {
                        failures.Enqueue($"{problem} <- {request}");
                    }
                }
            });

            var raw = new RawRequests(seed, gateway.TenantKey).Take(RawRequestsPerSeed).ToList();
            await Parallel.ForEachAsync(raw, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            {
                Interlocked.Increment(ref sent);
                var answer = await RawHttp.SendAsync(gateway.Port, request.Bytes, closeAfterSending: request.MayGoUnanswered, TimeSpan.FromSeconds(10));
                if (answer is null)
                {
                    Interlocked.Increment(ref unanswered);
                    if (!request.MayGoUnanswered)
                    {
                        failures.Enqueue($"no answer <- raw {request}");
                    }

                    return;
                }

                statuses.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
                if (AnswerRules.Check(request.Path, answer.Status, answer.ContentType, answer.Body, headRequest: false) is { } problem)
                {
                    failures.Enqueue($"{problem} <- raw {request}");
                }
                else if (answer.Status == 200 && request.Path == "/v1/videos" && answer.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true
                    && JsonDocument.Parse(answer.Body).RootElement is { } video
                    && video.TryGetProperty("object", out var kind) && kind.GetString() == "video")
                {
                    // A well-formed create among the raw ones (chunked, say) was accepted.
                    accepted[video.GetProperty("id").GetString()!] = FuzzGateway.SecondsOf(video);
                }
            });
        }

        output.WriteLine($"{sent} requests ({RequestsPerSeed * 3} HttpClient, {RawRequestsPerSeed * 3} raw, {unanswered} raw unanswered) in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{accepted.Count} creates accepted; statuses: {string.Join(", ", statuses.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}x{pair.Value}"))}");
        var kinds = failures.GroupBy(failure => failure[..Math.Min(50, failure.Length)]).Select(group => group.First());
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers, one of each kind:\n{string.Join("\n", kinds.Take(40))}");

        using var health = await gateway.Http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode, $"/health after the run: {(int)health.StatusCode}");
        var listed = await gateway.ListAsync(gateway.TenantKey);
        Assert.Equal(accepted.Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(accepted.Values.Sum(), await gateway.UsageAsync(gateway.TenantId), 6);
        Assert.Equal([gateway.BystanderVideo], await gateway.ListAsync(gateway.BystanderKey));
        Assert.Equal(bystanderUsage, await gateway.UsageAsync(gateway.BystanderId));
    }

    /// <summary>Sends one request; the status and what is wrong with the answer, or null when it could not be sent at all.</summary>
    private async Task<(int Status, string? Problem)?> SendAsync(FuzzRequest request, ConcurrentDictionary<string, double> accepted)
    {
        var path = request.Path.Replace("{own}", accepted.Keys.FirstOrDefault() ?? "video_" + new string('0', 32), StringComparison.Ordinal);
        HttpRequestMessage message;
        try
        {
            message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(path, UriKind.Relative));
            if (request.Authorization is { } authorization)
            {
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (request.Body is { } body)
            {
                message.Content = new ByteArrayContent(body);
                if (request.ContentType is { } type)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }
        }
        catch (Exception failure) when (failure is UriFormatException or FormatException or ArgumentException)
        {
            // Not expressible through HttpClient; the raw requests cover such shapes.
            return null;
        }

        using (message)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            HttpResponseMessage response;
            try
            {
                response = await gateway.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
            {
                return (0, $"no answer ({failure.GetType().Name}: {failure.Message})");
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                {
                    return (status, status >= 400 ? "an error as an event stream" : null);
                }

                var content = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                // The path as sent: HttpClient resolves dot segments (/v1/../admin is /admin by then).
                var sentPath = response.RequestMessage?.RequestUri?.AbsolutePath ?? path.Split('?')[0];
                var problem = AnswerRules.Check(sentPath, status, ContentTypeOf(response), content, request.Method == "HEAD");
                if (request.IsCreate && response.IsSuccessStatusCode && problem is null)
                {
                    var video = JsonDocument.Parse(content).RootElement;
                    accepted[video.GetProperty("id").GetString()!] = FuzzGateway.SecondsOf(video);
                }

                return (status, problem);
            }
        }
    }

    private static string? ContentTypeOf(HttpResponseMessage response) =>
        response.Content.Headers.ContentType is MediaTypeHeaderValue type ? type.ToString() : null;
}
