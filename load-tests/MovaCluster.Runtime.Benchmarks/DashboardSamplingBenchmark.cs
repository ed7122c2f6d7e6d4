using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Dashboard;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>
/// What one dashboard sample costs: the gateway's <see cref="DashboardSampler"/> reads the queue, the workers and up to
/// 100 job snapshots per sample. The sampler runs in an Orleans client connected to the silo over loopback TCP, as a
/// gateway host is, so every snapshot is serialized and sent; the jobs wait for a model no worker holds and carry a
/// reference image of the given size. Reported per sample: wall time, process CPU (silo and client together, both
/// in this process) and bytes allocated.
/// </summary>
internal static class DashboardSamplingBenchmark
{
    public static async Task RunAsync(int jobs, int imageBytes, int samples)
    {
        var ports = (Silo: FreePort(), Gateway: FreePort());
        using var silo = await BenchmarkSilo.StartAsync(devices: 1, new Dictionary<string, string?>(), ports: ports);
        using var client = await StartClientAsync(ports.Gateway);
        var cluster = client.Services.GetRequiredService<IClusterClient>();
        var image = new byte[imageBytes];
        new Random(7).NextBytes(image);
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(i => cluster.GetGrain<IJobGrain>($"dash-{i}-{Guid.NewGuid():N}").SubmitAsync(new JobSubmission
        {
            TenantId = $"tenant-{i % 10}",
            Request = new GenerationRequest
            {
                Prompt = "dashboard sampling benchmark", Width = 64, Height = 48, FrameCount = 9, Steps = 4, Model = "no-worker-holds-this",
                ReferenceImage = imageBytes > 0 ? image : null,
            },
        })));

        var sampler = new DashboardSampler(cluster, new DashboardHistory(TimeProvider.System), Options.Create(new DashboardOptions()), TimeProvider.System, NullLogger<DashboardSampler>.Instance);
        for (var i = 0; i < 3; i++)
        {
            await sampler.SampleAsync();
        }

        var process = Process.GetCurrentProcess();
        var wall = new List<double>();
        var cpu = new List<double>();
        var allocated = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var frame = await sampler.SampleAsync();
            clock.Stop();
            process.Refresh();
            wall.Add(clock.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - bytesBefore) / 1048576.0);
            if (frame.Jobs.Count < Math.Min(jobs, 100))
            {
                throw new InvalidOperationException($"The sample shows {frame.Jobs.Count} jobs, expected {Math.Min(jobs, 100)}.");
            }
        }

        Console.WriteLine(
            $"dashboard sample, {jobs} queued jobs with a {imageBytes / 1024} KiB reference image, sampler in a client over loopback, {samples} samples: " +
            $"wall median {Median(wall):F1} ms (max {wall.Max():F1}), process CPU median {Median(cpu):F1} ms, allocated median {Median(allocated):F2} MiB per sample");
        await client.StopAsync();
        await silo.StopAsync();
    }

    private static async Task<IHost> StartClientAsync(int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
