using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Webhooks;

/// <summary>
/// Where a webhook may go. At create, every address the URL's host resolves to must be allowed (else 422). At
/// delivery the same rules run inside the connection itself (<see cref="ConnectAsync"/>, the delivery handler's
/// ConnectCallback): the host is resolved there, and the socket connects only to an address that passed the check,
/// so a DNS answer that changes between create and delivery (rebinding) or between a check and the connect cannot
/// slip an internal address in, and each redirect target is checked the same way when it is connected to.
/// </summary>
public sealed class WebhookAddressGuard(IWebhookHostResolver resolver, LocalAddresses local, IOptions<GatewayOptions> options)
{
    private WebhookAllowList? _allowList;
    private List<string>? _allowListSource;

    private WebhookOptions Settings => options.Value.Webhooks;

    /// <summary>The create-time check: an API error (422) naming the problem when the URL may not be delivered to.</summary>
    public async Task CheckAtCreateAsync(string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var uri = new Uri(url, UriKind.Absolute);
        if (WebhookUrlRules.Check(uri, Settings) is { } form)
        {
            throw Refused(form);
        }

        IPAddress[] addresses;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Settings.ResolveTimeout);
            try
            {
                addresses = await resolver.ResolveAsync(uri.IdnHost, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is SocketException or ArgumentException || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw Refused($"webhook_url's host '{uri.Host}' does not resolve ({failure.Message}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw Refused($"webhook_url's host '{uri.Host}' does not resolve.");
        }

        foreach (var address in addresses)
        {
            if (WhyRefused(uri.IdnHost, address) is { } why)
            {
                throw Refused($"webhook_url's host '{uri.Host}' resolves to {address}, {why}; webhooks only go to public addresses unless the operator allows the receiver.");
            }
        }
    }

    /// <summary>Why a delivery to <paramref name="host"/> may not connect to <paramref name="address"/>, or null when it may.</summary>
    public string? WhyRefused(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(address);
        var allowList = AllowList();
        if (allowList.AllowsHost(host) || allowList.AllowsAddress(address))
        {
            return null;
        }

        return BlockedAddresses.WhyRefused(address) ?? (local.Contains(address) ? "an address of the gateway itself" : null);
    }

    /// <summary>Resolves the host, keeps the allowed addresses and connects to the first that answers.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(address => WhyRefused(host, address) is null).ToList();
        if (allowed.Count == 0)
        {
            var refused = addresses.Select(address => $"{address} ({WhyRefused(host, address)})");
            throw new WebhookAddressRefusedException($"Webhook host '{host}' resolves to no allowed address: {string.Join(", ", refused)}.");
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException failure)
            {
                socket.Dispose();
                last = failure;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private WebhookAllowList AllowList()
    {
        var source = Settings.AllowedHosts;
        if (!ReferenceEquals(source, _allowListSource) || _allowList is null)
        {
            _allowList = new WebhookAllowList(source);
            _allowListSource = source;
        }

        return _allowList;
    }

    private static ApiErrorException Refused(string message) => new(ApiError.Unprocessable("webhook_url_refused", message, "webhook_url"));
}
