using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;

namespace MovaCluster.Api.Tenancy;

/// <summary>The tenant keyless requests act as, or null when <see cref="AnonymousTenantOptions.Enabled"/> is off.</summary>
public sealed class AnonymousTenant(IOptions<GatewayOptions> options)
{
    private readonly Lazy<Tenant?> _tenant = new(() => Build(options.Value.Anonymous));

    public Tenant? Tenant => _tenant.Value;

    private static Tenant? Build(AnonymousTenantOptions anonymous) => anonymous.Enabled
        ? new Tenant
        {
            Id = anonymous.TenantId,
            Quotas = anonymous.Quotas,
            WebhookSecret = anonymous.WebhookSecret.Length > 0 ? anonymous.WebhookSecret : "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
        }
        : null;
}
