using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Testing;

/// <summary>
/// The embedded silo host (jobs, queue, one synthetic device worker, the API and dashboard) on a real Kestrel port,
/// so a real browser or a separate gateway host can reach it. Steps take <see cref="StepDelay"/>, so a job stays in
/// flight long enough to watch. <typeparamref name="TSiloEntryPoint"/> is any type of the silo host's assembly.
/// </summary>
public class LiveSiloFactory<TSiloEntryPoint> : WebApplicationFactory<TSiloEntryPoint>
    where TSiloEntryPoint : class
{
    private readonly string _clips = Path.Combine(Path.GetTempPath(), "mova-dashboard-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;

    public LiveSiloFactory(TimeSpan stepDelay)
    {
        StepDelay = stepDelay;
        Port = FreePort.Next();
        OrleansGatewayPort = FreePort.Next();
        _settings = new()
        {
            ["Mova:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mova:Cluster:GatewayPort"] = OrleansGatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Mova:RawClips:Directory"] = _clips,
            ["Mova:Gateway:ClipDirectory"] = _clips,
            ["Mova:Execution:Executor"] = "Synthetic",
            ["Mova:Execution:Synthetic:StepDelay"] = stepDelay.ToString("c", CultureInfo.InvariantCulture),
            // The catalog's mova-tiny runs on the synthetic device here (what its workers report; jobs say so).
            ["Mova:Gateway:Models:mova-tiny:WorkerModel"] = SyntheticModelName,
            ["Mova:Dashboard:SampleInterval"] = "00:00:00.250",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        UseKestrel(Port);
    }

    /// <summary>The model name the synthetic test device reports (SyntheticGenerationExecutor.ModelName).</summary>
    public const string SyntheticModelName = "synthetic (no model; synthetic output)";

    public TimeSpan StepDelay { get; }

    public int Port { get; }

    /// <summary>The silo's Orleans client port (a separate gateway host connects there).</summary>
    public int OrleansGatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public LiveSiloFactory<TSiloEntryPoint> With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>An HTTP client of the real server sending <paramref name="apiKey"/>.</summary>
    public HttpClient Client(string apiKey)
    {
        StartServer();
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Creates a video through the public API and returns its id (= the job grain's key).</summary>
    public async Task<string> CreateVideoAsync(int steps)
    {
        using var client = Client(DevelopmentKeys.Tenant);
        using var response = await client.PostAsJsonAsync("/v1/videos", new Dictionary<string, object>
        {
            ["prompt"] = "a lighthouse in a storm, waves breaking",
            ["model"] = "mova-tiny",
            ["size"] = "64x48",
            ["num_frames"] = 9,
            ["fps"] = 8,
            ["num_inference_steps"] = steps,
            ["seed"] = 7,
        });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Create answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Started once the synthetic worker has registered: creates for mova-tiny are refused until then.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        var registry = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
        Task.Run(() => Eventually.HoldsAsync(() => registry.ListAsync(), workers => workers.Count > 0, TimeSpan.FromMinutes(2), "the silo's worker to register"))
            .GetAwaiter().GetResult();
        return host;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_clips))
        {
            Directory.Delete(_clips, recursive: true);
        }
    }
}
