using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Sglang;

/// <summary>
/// A cluster as an SGLang user would point MOVA's workflow client at: on a real loopback port, serving mova-360p (on
/// the synthetic test device, which takes the client's 640x352x193 jobs at once) and taking requests without an API
/// key as the anonymous tenant.
/// </summary>
public sealed class SglangGatewayFactory : GatewayFactory
{
    public SglangGatewayFactory()
    {
        Port = FreePort.Next();
        With("Mova:Execution:Executor", "Synthetic");
        With("Mova:Gateway:Models:mova-360p:WorkerModel", SyntheticGenerationExecutor.ModelName);
        With("Mova:Gateway:Anonymous:Enabled", "true");
        With("Mova:Gateway:Anonymous:Quotas:RequestsPerSecond", "1000");
        With("Mova:Gateway:Anonymous:Quotas:RequestBurst", "1000");
        With("Mova:Gateway:Anonymous:Quotas:MaxQueuedJobs", "100");
        UseKestrel(Port);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>A client of the real port that sends no API key, as MOVA's workflow client does.</summary>
    public HttpClient KeylessClient()
    {
        StartServer();
        return new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }
}
