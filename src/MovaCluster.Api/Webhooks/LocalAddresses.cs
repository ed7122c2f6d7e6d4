using System.Net;
using System.Net.NetworkInformation;

namespace MovaCluster.Api.Webhooks;

/// <summary>The addresses of this machine's interfaces (read again every 30 s): a webhook must not call the gateway itself.</summary>
public sealed class LocalAddresses(TimeProvider time, Func<IEnumerable<IPAddress>> read)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    public LocalAddresses(TimeProvider time)
        : this(time, Read)
    {
    }
    private HashSet<IPAddress> _addresses = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = time.GetUtcNow();
        if (now - _readAt > Refresh)
        {
            _addresses = read().ToHashSet();
            _readAt = now;
        }

        return _addresses.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    private static IEnumerable<IPAddress> Read()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
                .Select(unicast => unicast.Address.IsIPv6LinkLocal ? new IPAddress(unicast.Address.GetAddressBytes()) : unicast.Address)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
