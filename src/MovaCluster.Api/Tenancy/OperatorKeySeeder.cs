using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// Registers the configured <see cref="GatewayOptions.OperatorApiKey"/> at start, in whichever key store is in use.
/// Idempotent, so every gateway replica may do it: the operator tenant is created only when missing (an operator may
/// have changed its quotas since), and adding a key hash that is already there changes nothing.
/// </summary>
public sealed class OperatorKeySeeder(ITenantStore store, IOptions<GatewayOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.OperatorApiKey is not { Length: > 0 } key)
        {
            return;
        }

        if (await store.GetAsync(DevelopmentTenantSeeder.OperatorTenantId, cancellationToken) is null)
        {
            await store.SaveAsync(new Tenant
            {
                Id = DevelopmentTenantSeeder.OperatorTenantId,
                IsOperator = true,
                Quotas = options.Value.DefaultQuotas,
                WebhookSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            }, cancellationToken);
        }

        await store.AddKeyAsync(DevelopmentTenantSeeder.OperatorTenantId, ApiKeyHasher.Hash(key), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
