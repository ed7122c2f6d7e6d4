using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MovaCluster.Silo.Tests.Faults;

/// <summary>
/// An API client that retries as the official OpenAI SDKs do: on a 5xx, 408, 429 or a failed connection, after the
/// server's Retry-After (else exponential backoff with jitter), sending <c>X-Stainless-Retry-Count</c> with each
/// retry and never an Idempotency-Key it was not given. It counts what it saw, so the soak can say how the API behaved.
/// </summary>
public sealed class SoakClient(Uri gateway, string apiKey, int seed) : IDisposable
{
    private const int MaxRetries = 12;
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(4);

    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
    private readonly Random _jitter = new(seed);
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentDictionary<string, (double Seconds, string Trail)> _creates = new(StringComparer.Ordinal);
    private int _unavailable;
    private int _connectionFailures;
    private int _retries;

    /// <summary>503 answers seen (each with Retry-After and an OpenAI error body, or it is listed in <see cref="Problems"/>).</summary>
    public int Unavailable => _unavailable;

    public int ConnectionFailures => _connectionFailures;

    public int Retries => _retries;

    /// <summary>Answers no client should ever see: a 500, a 5xx without the error shape, a 503 without Retry-After.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    /// <summary>Wall time of each create, retries included.</summary>
    public IReadOnlyCollection<double> CreateSeconds => [.. _creates.Values.Select(create => create.Seconds)];

    /// <summary>The ids of the <paramref name="count"/> slowest creates, slowest first.</summary>
    public IReadOnlyList<string> SlowestCreates(int count) =>
        [.. _creates.OrderByDescending(create => create.Value.Seconds).Take(count).Select(create => create.Key)];

    /// <summary>What each create went through (each try's answer and when), by the id it got, for failure messages.</summary>
    public string TrailOf(string id) => _creates.TryGetValue(id, out var create) ? $"{create.Seconds:F2} s, {create.Trail}" : "no trail";

    /// <summary>Creates a video (retrying) and returns its id.</summary>
    public async Task<string> CreateAsync(JsonObject body, string? idempotencyKey)
    {
        var clock = Stopwatch.StartNew();
        var trail = new List<string> { $"sent at {DateTime.UtcNow:HH:mm:ss.fff}" };
        var video = await SendAsync(trail, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = JsonContent.Create(body) };
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            return request;
        });
        var id = video["id"]!.GetValue<string>();
        _creates[id] = (clock.Elapsed.TotalSeconds, $"{(idempotencyKey is null ? "no key" : $"key {idempotencyKey}")}; {string.Join("; ", trail)}");
        return id;
    }

    public Task<JsonObject> GetAsync(string path) => SendAsync(null, () => new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<byte[]> DownloadAsync(string id)
    {
        for (var retry = 0; ; retry++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{id}/content");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var response = await _http.SendAsync(request);
            if (response.IsSuccessStatusCode || retry >= MaxRetries)
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsByteArrayAsync();
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private async Task<JsonObject> SendAsync(List<string>? trail, Func<HttpRequestMessage> build)
    {
        for (var retry = 0; ; retry++)
        {
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            request.Headers.Add("X-Stainless-Retry-Count", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
            TimeSpan? wait = null;
            try
            {
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                trail?.Add($"try {retry}: {(int)response.StatusCode} at {DateTime.UtcNow:HH:mm:ss.fff}");
                if (response.IsSuccessStatusCode)
                {
                    return JsonNode.Parse(text)!.AsObject();
                }

                Inspect(request, response, text);
                if (!ShouldRetry(response.StatusCode) || retry >= MaxRetries)
                {
                    throw new HttpRequestException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} after {retry} retries: {text}");
                }

                wait = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException failure) when (failure.StatusCode is null && retry < MaxRetries)
            {
                // Refused or reset: the gateway is restarting.
                trail?.Add($"try {retry}: {failure.HttpRequestError} at {DateTime.UtcNow:HH:mm:ss.fff}");
                Interlocked.Increment(ref _connectionFailures);
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(wait ?? Backoff(retry));
        }
    }

    private void Inspect(HttpRequestMessage request, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status < 500)
        {
            return;
        }

        var shaped = text.Contains("\"error\"", StringComparison.Ordinal) && text.Contains("\"message\"", StringComparison.Ordinal);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && shaped && response.Headers.RetryAfter is not null)
        {
            Interlocked.Increment(ref _unavailable);
            return;
        }

        _problems.Enqueue($"{request.Method} {request.RequestUri} answered {status} (Retry-After: {response.Headers.RetryAfter}): {text}");
    }

    private static bool ShouldRetry(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private TimeSpan Backoff(int retry)
    {
        double jitter;
        lock (_jitter)
        {
            jitter = 1 - (_jitter.NextDouble() * 0.25);
        }

        return TimeSpan.FromSeconds(Math.Min(0.5 * Math.Pow(2, retry), LongestBackoff.TotalSeconds) * jitter);
    }

    public void Dispose() => _http.Dispose();
}
