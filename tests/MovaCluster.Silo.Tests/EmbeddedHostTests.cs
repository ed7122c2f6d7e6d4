using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MovaCluster.Silo.Tests;

public sealed class EmbeddedHostTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Embedded_silo_answers_health_endpoints(string path)
    {
        await using var factory = new EmbeddedSiloFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Embedded_silo_activates_grains_in_process()
    {
        await using var factory = new EmbeddedSiloFactory();
        _ = factory.Server;
        var grains = factory.Services.GetRequiredService<IGrainFactory>();

        var answer = await grains.GetGrain<IEchoGrain>("embedded").EchoAsync("ping");

        Assert.StartsWith("ping from ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_mode_without_a_connection_string_fails_at_start_with_the_option_named()
    {
        using var factory = new EmbeddedSiloFactory().With("Mova:Cluster:Mode", "Redis");

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Mova:Cluster:RedisConnectionString is required", error.Message, StringComparison.Ordinal);
    }
}
