using System.Collections.Concurrent;
using System.Diagnostics;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests.Telemetry;

/// <summary>One trace follows a job from the HTTP request through the grains to the device worker's run.</summary>
public sealed class JobTraceTests
{
    [Fact]
    public async Task The_workers_run_span_is_in_the_trace_of_the_create_request_with_the_grain_calls_between()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MovaCluster" or "Microsoft.AspNetCore" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.FromMilliseconds(10));

        var jobId = await cluster.CreateVideoAsync(steps: 3);

        var run = await Eventually.HoldsAsync(
            () => stopped.FirstOrDefault(a => a.OperationName == "mova.job.run" && (string?)a.GetTagItem("mova.job.id") == jobId),
            activity => activity is not null, TimeSpan.FromSeconds(30), "The worker's run span ending");
        var request = stopped.Single(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == run!.TraceId);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal("/v1/videos", (request.GetTagItem("http.route") as string)?.TrimEnd('/'));
        var grainCalls = stopped.Where(a => a.TraceId == run!.TraceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList();
        Assert.Contains(grainCalls, a => a.DisplayName.Contains("Submit", StringComparison.Ordinal));
        Assert.Contains(grainCalls, a => a.DisplayName.Contains("Enqueue", StringComparison.Ordinal));
        Assert.Contains(grainCalls, a => a.ParentSpanId == run!.SpanId);
        Assert.Equal(ActivityKind.Consumer, run!.Kind);
        Assert.Equal("cpu", run.GetTagItem("mova.worker.device"));
    }
}
