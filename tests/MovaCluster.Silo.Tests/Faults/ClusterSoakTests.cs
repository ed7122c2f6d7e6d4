using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Silo.Tests.Failover;
using MovaCluster.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MovaCluster.Silo.Tests.Faults;

/// <summary>
/// A bounded, seeded soak of the whole Redis-mode deployment in processes: three silos on synthetic devices, one
/// gateway, a persistent redis-server. Clients that retry like the OpenAI SDK create a few hundred videos (half with an
/// Idempotency-Key, half without; a few identical requests sent twice on purpose) while silos are SIGKILLed and
/// restarted, Redis is restarted and the gateway is SIGKILLed and restarted. Every create yields exactly one video,
/// every video completes (none fails), no job runs that nobody asked for, every download matches its stored hash, and
/// no client ever sees a bare 500.
/// </summary>
public sealed class ClusterSoakTests(ITestOutputHelper output)
{
    private const int Seed = 17;
    private const int Videos = 240;
    private const int DeliberateTwins = 8;
    private const int ClientLoops = 4;
    private const string OperatorKey = "soak-operator-key-0123456789abcdef0123";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Silo_kills_a_redis_restart_and_a_gateway_restart_lose_duplicate_and_fail_nothing()
    {
        var random = new Random(Seed);
        await using var redis = await RedisServer.StartPersistentAsync();
        var settings = ProcessClusterSettings.SyntheticServingMovaTiny(TimeSpan.FromMilliseconds(40));
        settings["Mova__Queue__MaxQueuedPerTenant"] = "1000";
        settings["Mova__Queue__MaxRunningPerTenant"] = "8";
        // Replayed creates are logged at Debug: a failure message then tells how a video's create was answered.
        settings["Logging__LogLevel__MovaCluster.Api.Videos"] = "Debug";
        var clock = Stopwatch.StartNew();
        await using var cluster = await SiloProcessCluster.StartAsync(redis.ConnectionString, 3, settings, Patience);
        try
        {
            var (gateway, address) = await cluster.StartGatewayAsync(OperatorKey, Patience);
            var startup = clock.Elapsed;
            var tenant = "soak";
            var key = await TenantKeys.IssueAsync(address, OperatorKey, tenant);
            using var client = new SoakClient(address, key, Seed);

            // The plan, fixed by the seed: which request each create sends, and when the faults strike.
            var requests = Enumerable.Range(0, Videos - DeliberateTwins).Select(i => Request(random, i)).ToList();
            foreach (var twin in Enumerable.Range(0, DeliberateTwins).Select(_ => random.Next(requests.Count)).ToList())
            {
                requests.Insert(twin + 1, (JsonObject)requests[twin].DeepClone());
            }

            var keyed = requests.Select(_ => random.Next(2) == 0).ToList();
            var victims = Enumerable.Range(0, 3).Select(_ => random.Next(cluster.Silos.Count)).ToList();
            var faults = new List<string>();
            var soak = Stopwatch.StartNew();
            var chaos = RunFaultsAsync(cluster, redis, gateway, victims, faults, soak);

            var ids = new string[requests.Count];
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, ClientLoops).Select(async loop =>
            {
                var pace = new Random(Seed + loop);
                for (var i = Interlocked.Increment(ref next); i < requests.Count; i = Interlocked.Increment(ref next))
                {
                    ids[i] = await client.CreateAsync(requests[i], keyed[i] ? $"soak-{Seed}-{i}" : null);
                    await Task.Delay(TimeSpan.FromMilliseconds(pace.Next(500, 1500)));
                }
            }));
            var created = soak.Elapsed;
            await chaos;

            IReadOnlyList<JsonObject> finished;
            try
            {
                finished = await cluster.UntilAsync(() => ListAsync(client), list => list.Count >= Videos && list.All(v => IsFinished(v["status"]!.GetValue<string>())),
                    Patience, $"all {Videos} videos to finish");
            }
            catch (TimeoutException timeout)
            {
                throw new XunitException(await UnfinishedAsync(cluster, client, ids) + "\n" + timeout.Message);
            }

            var drained = soak.Elapsed;

            // Exactly one video per create, and one job per video: no job ran that no client asked for.
            Assert.Equal(requests.Count, ids.Distinct().Count());
            Assert.Equal(ids.Order(StringComparer.Ordinal), finished.Select(v => v["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            var clips = Directory.EnumerateFiles(Path.Combine(cluster.ClipFolder, "tenants", tenant, "clips"), "video.mp4", SearchOption.AllDirectories).ToList();
            Assert.Equal(Videos, clips.Count);

            var failed = finished.Where(v => v["status"]!.GetValue<string>() != "completed").Select(v => v.ToJsonString()).ToList();
            Assert.True(failed.Count == 0, $"{failed.Count} videos did not complete:\n{string.Join('\n', failed)}");
            Assert.True(client.Problems.Count == 0, $"Clients saw answers they never should:\n{string.Join('\n', client.Problems)}");

            var attempts = new List<int>();
            foreach (var id in ids)
            {
                var job = await cluster.UntilAsync(cluster.Client.GetGrain<IJobGrain>(id).GetAsync, _ => true, Patience, $"job {id}");
                attempts.Add(job.Attempt);
                Assert.Equal(job.Clip!.Sha256, Convert.ToHexStringLower(SHA256.HashData(await client.DownloadAsync(id))));
            }

            await AssertProductionDefaultsAsync(cluster, address);

            var statistics = await cluster.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();
            var latencies = client.CreateSeconds.Order().ToList();
            output.WriteLine(string.Join('\n',
                $"seed {Seed}: {Videos} videos ({DeliberateTwins} deliberate identical repeats, {keyed.Count(k => k)} with an Idempotency-Key) from {ClientLoops} clients on 3 silo processes + 1 gateway; cluster up in {startup.TotalSeconds:F1} s",
                $"faults: {string.Join("; ", faults)}",
                $"creates done after {created.TotalSeconds:F1} s, every video finished after {drained.TotalSeconds:F1} s",
                $"lost 0, duplicated 0, failed 0; jobs resumed on another attempt: {attempts.Count(a => a > 1)} (queue requeues: {statistics.Requeued}); downloads matching their stored SHA-256: {ids.Length}",
                $"client: {client.Retries} retries, {client.Unavailable} answers 503 (Retry-After, OpenAI error body), {client.ConnectionFailures} refused/reset connections, 0 other 5xx",
                $"create latency incl. retries: p50 {Percentile(latencies, 0.50):F2} s, p99 {Percentile(latencies, 0.99):F2} s, max {latencies[^1]:F2} s",
                $"slowest creates: {string.Join("; ", client.SlowestCreates(3).Select(id => $"{id} ({client.TrailOf(id)})"))}"));
        }
        catch (Exception failure)
        {
            throw new XunitException($"{failure}{cluster.Logs(80)}", failure);
        }
    }

    /// <summary>What the listing and the job grains say of the videos that did not finish, for the failure message.</summary>
    private static async Task<string> UnfinishedAsync(SiloProcessCluster cluster, SoakClient client, string[] ids)
    {
        var listed = (await ListAsync(client)).ToDictionary(v => v["id"]!.GetValue<string>(), v => v["status"]!.GetValue<string>());
        var lines = new List<string> { $"{listed.Count} videos listed ({string.Join(", ", listed.Values.CountBy(s => s).Select(c => $"{c.Value} {c.Key}"))}); {ids.Count(id => id is null)} creates without an id" };
        foreach (var id in ids.Where(id => id is not null && (!listed.TryGetValue(id, out var status) || !IsFinished(status))).Take(20))
        {
            var job = await cluster.Client.GetGrain<IJobGrain>(id).GetAsync();
            lines.Add($"{id}: listed {listed.GetValueOrDefault(id, "no")}; job {job.Status}, attempt {job.Attempt}, step {job.CompletedSteps}/{job.TotalSteps}, worker {job.WorkerId}, error {job.Error}");
            lines.Add($"  create: {client.TrailOf(id)}");
            lines.AddRange(cluster.Silos.Concat(cluster.Gateways).SelectMany(host => host.LinesContaining(id).Select(line => $"  {host.Name}: {line}")).Take(30));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Redis mode is production: the development keys open nothing, and silos serve no API and no /admin.</summary>
    private static async Task AssertProductionDefaultsAsync(SiloProcessCluster cluster, Uri gateway)
    {
        var silo = cluster.Silos[0].LinesContaining("Now listening on:").Select(line => line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim()).Last();
        foreach (var (host, devStatus) in new[] { (gateway, HttpStatusCode.Unauthorized), (new Uri(silo), HttpStatusCode.NotFound) })
        {
            using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(30) };
            foreach (var (path, key) in new[] { ("/v1/videos", "mova-dev-key"), ("/admin/queue", "mova-dev-operator-key") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var answer = await http.SendAsync(request);
                Assert.True(answer.StatusCode == devStatus, $"{host}{path} with {key} answered {(int)answer.StatusCode}, not {(int)devStatus}");
            }
        }
    }

    /// <summary>Three silo kills (each restarted a few seconds later), a Redis restart and a gateway kill and restart, spread over the creates.</summary>
    private static async Task RunFaultsAsync(SiloProcessCluster cluster, RedisServer redis, SiloProcess gateway, IReadOnlyList<int> victims, List<string> faults, Stopwatch soak)
    {
        async Task At(double seconds)
        {
            var wait = TimeSpan.FromSeconds(seconds) - soak.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }

        async Task KillSiloAsync(double at, int victim)
        {
            await At(at);
            var silo = cluster.Silos[victim];
            await silo.KillAsync();
            faults.Add($"SIGKILL {silo.Name} at {soak.Elapsed.TotalSeconds:F0} s");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await silo.RestartAsync();
            await cluster.WaitForStartAsync([silo], Patience);
        }

        await KillSiloAsync(8, victims[0]);
        await At(20);
        await redis.StopAsync();
        var down = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await redis.RestartAsync();
        faults.Add($"Redis restarted at 20 s (down {down.Elapsed.TotalSeconds:F1} s)");
        await KillSiloAsync(32, victims[1]);
        await At(44);
        await gateway.KillAsync();
        var restart = Stopwatch.StartNew();
        await gateway.RestartAsync();
        await cluster.WaitForStartAsync([gateway], Patience);
        faults.Add($"gateway SIGKILLed at 44 s, serving again {restart.Elapsed.TotalSeconds:F1} s later");
        await KillSiloAsync(56, victims[2]);
    }

    private static JsonObject Request(Random random, int index) => new()
    {
        ["model"] = "mova-tiny",
        ["prompt"] = $"soak video {index}: a paper boat on a rain-soaked street",
        ["size"] = "64x48",
        ["num_frames"] = 9,
        ["num_inference_steps"] = 8,
        ["seed"] = random.Next(1, int.MaxValue),
    };

    private static async Task<IReadOnlyList<JsonObject>> ListAsync(SoakClient client)
    {
        var all = new List<JsonObject>();
        string? after = null;
        while (true)
        {
            var page = await client.GetAsync("/v1/videos?limit=100&order=asc" + (after is null ? "" : $"&after={after}"));
            all.AddRange(page["data"]!.AsArray().Select(v => v!.AsObject()));
            if (!page["has_more"]!.GetValue<bool>())
            {
                return all;
            }

            after = page["last_id"]!.GetValue<string>();
        }
    }

    private static bool IsFinished(string status) => status is "completed" or "failed" or "cancelled";

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * sorted.Count))];
}
