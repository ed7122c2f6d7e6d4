namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// The same cluster with a simulated device that takes 100 ms per denoising step instead of the tiny MOVA, so jobs
/// can be caught queued or at a chosen step whatever the machine's speed.
/// </summary>
public class SlowGatewayFactory : GatewayFactory
{
    public static readonly TimeSpan StepDelay = TimeSpan.FromMilliseconds(100);

    public SlowGatewayFactory()
    {
        With("Mova:Execution:Executor", "Synthetic");
        With("Mova:Execution:Synthetic:StepDelay", StepDelay.ToString());
    }
}
