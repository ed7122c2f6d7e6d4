using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Silo.Tests.Failover;
using MovaCluster.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MovaCluster.Silo.Tests.Faults;

/// <summary>
/// A gateway's grain call in flight when the silo holding the grain dies is never answered, and nothing tells the
/// gateway (an Orleans client). It counts the call as lost after <c>Mova:Resilience:ApiCallTimeout</c> and retries it,
/// so the request is answered by the grain's new activation; with Orleans' 30 s response timeout alone it would hang
/// that long and then, past the retry window, fail with a 503.
/// </summary>
public sealed class LostCallTests(ITestOutputHelper output)
{
    private const string OperatorKey = "lost-call-operator-key-0123456789abcdef01";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_call_lost_with_a_dying_silo_is_retried_and_answered()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await SiloProcessCluster.StartAsync(redis.ConnectionString, 3, ProcessClusterSettings.SyntheticServingMovaTiny(TimeSpan.FromMilliseconds(20)), Patience);
        try
        {
            var (_, address) = await cluster.StartGatewayAsync(OperatorKey, Patience, new Dictionary<string, string>
            {
                ["Mova__Resilience__ApiCallTimeout"] = "00:00:03",
                ["Mova__Resilience__StoreCallBudget"] = "00:00:02",
            });
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TenantKeys.IssueAsync(address, OperatorKey, "lost-call"));
            using var created = await http.PostAsJsonAsync("/v1/videos", new JsonObject
            {
                ["model"] = "mova-tiny", ["prompt"] = "a kite over a grey sea", ["size"] = "64x48", ["num_frames"] = 9, ["num_inference_steps"] = 8, ["seed"] = 11,
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            var job = cluster.Client.GetGrain<IJobGrain>(id);
            await cluster.UntilAsync(job.GetAsync, snapshot => snapshot.Status == JobStatus.Completed, Patience, "the video to complete");
            var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(job)
                ?? throw new InvalidOperationException($"Job grain {id} has no activation.");
            var victim = cluster.ProcessOf(host.ToParsableString());

            // Paused, the silo takes the call and never answers; killed, it takes the call with it.
            await victim.PauseAsync();
            var clock = Stopwatch.StartNew();
            var download = http.GetAsync($"/v1/videos/{id}/content");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await victim.KillAsync();
            using var answer = await download;
            var answeredAfter = clock.Elapsed;
            output.WriteLine($"job grain on {victim.Name}, paused then killed 1 s into the download; answered {(int)answer.StatusCode} after {answeredAfter.TotalSeconds:F1} s (call timeout 3 s)");

            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"The download answered {(int)answer.StatusCode} after {answeredAfter.TotalSeconds:F1} s: {await answer.Content.ReadAsStringAsync()}");
            var clip = (await job.GetAsync()).Clip!;
            Assert.Equal(clip.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await answer.Content.ReadAsByteArrayAsync())));
        }
        catch (Exception failure)
        {
            throw new XunitException($"{failure}{cluster.Logs(80)}", failure);
        }
    }
}
