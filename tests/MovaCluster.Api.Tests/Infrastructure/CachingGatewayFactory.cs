namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// The tiny-MOVA cluster with an operator-configured cache tier, <c>quick</c>, that reuses the middle of the tiny
/// 2-layer stack whenever its rules allow (so a few-step job skips work however the random weights behave).
/// </summary>
public sealed class CachingGatewayFactory : GatewayFactory
{
    public CachingGatewayFactory()
    {
        With("Mova:Caching:Tiers:quick:BlockThreshold", "1000000");
        With("Mova:Caching:Tiers:quick:FirstLayers", "1");
        With("Mova:Caching:Tiers:quick:LastLayers", "0");
        With("Mova:Caching:Tiers:quick:WarmupSteps", "1");
        With("Mova:Caching:Tiers:quick:FinalSteps", "1");
    }
}
