namespace MovaCluster.Gateway.Tests.Infrastructure;

/// <summary>The same cluster with a simulated device that takes 100 ms per denoising step, so jobs can be caught queued or running.</summary>
public sealed class SlowGatewayFactory : GatewayFactory
{
    public static readonly TimeSpan StepDelay = TimeSpan.FromMilliseconds(100);

    public SlowGatewayFactory() => With("Mova:Execution:Simulated:StepDelay", StepDelay.ToString());
}
