using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Tests.Faults;

/// <summary>The gateway's call timeout sits between the grains' store budget and the gateway's retry window.</summary>
public sealed class ResilienceOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new ResilienceOptionsValidator().Validate(null, new ResilienceOptions()).Succeeded);
    }

    [Theory]
    [InlineData(5, 5, 15, "ApiCallTimeout (00:00:05) must be longer than Mova:Resilience:StoreCallBudget")]
    [InlineData(15, 5, 15, "ApiCallTimeout (00:00:15) must be shorter than Mova:Resilience:ApiCallRetryWindow")]
    [InlineData(0, 5, 15, "ApiCallTimeout must be positive")]
    public void A_call_timeout_out_of_place_is_refused_by_name(int timeoutSeconds, int budgetSeconds, int windowSeconds, string expected)
    {
        var options = new ResilienceOptions
        {
            ApiCallTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            StoreCallBudget = TimeSpan.FromSeconds(budgetSeconds),
            ApiCallRetryWindow = TimeSpan.FromSeconds(windowSeconds),
        };

        var result = new ResilienceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains(expected, StringComparison.Ordinal));
    }
}
