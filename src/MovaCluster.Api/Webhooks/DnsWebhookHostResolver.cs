using System.Net;

namespace MovaCluster.Api.Webhooks;

/// <summary>Address literals as they are (in any form the resolver accepts, 2130706433 included); names through DNS.</summary>
public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
    }
}
