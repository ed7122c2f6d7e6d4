using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;

namespace MovaCluster.Api.Tenancy;

/// <summary>Puts the documented development tenant and operator key into the in-memory store at start.</summary>
public sealed class DevelopmentTenantSeeder(ITenantStore store, IOptions<GatewayOptions> options) : IHostedService
{
    public const string OperatorTenantId = "operator";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var development = options.Value.Development;
        if (!development.Enabled || store is not InMemoryTenantStore)
        {
            return;
        }

        await store.SaveAsync(new Tenant { Id = development.TenantId, Quotas = development.Quotas, WebhookSecret = development.WebhookSecret }, cancellationToken);
        await store.AddKeyAsync(development.TenantId, ApiKeyHasher.Hash(development.ApiKey), cancellationToken);
        await store.SaveAsync(new Tenant { Id = OperatorTenantId, IsOperator = true, Quotas = development.Quotas, WebhookSecret = development.WebhookSecret }, cancellationToken);
        await store.AddKeyAsync(OperatorTenantId, ApiKeyHasher.Hash(development.OperatorApiKey), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
