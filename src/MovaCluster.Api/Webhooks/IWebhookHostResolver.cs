using System.Net;

namespace MovaCluster.Api.Webhooks;

/// <summary>Resolves a webhook host to its addresses (DNS by default); every address is checked before it is used.</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
