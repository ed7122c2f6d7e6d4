using System.Net;

namespace MovaCluster.Api.Webhooks;

/// <summary><see cref="WebhookOptions.AllowedHosts"/>, parsed: host names, and addresses or CIDR ranges.</summary>
public sealed class WebhookAllowList
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    public WebhookAllowList(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries.Select(entry => entry.Trim()))
        {
            if (TryParseNetwork(entry, out var network))
            {
                _networks.Add(network);
            }
            else
            {
                _hosts.Add(NormalizeHost(entry));
            }
        }
    }

    public static bool IsValidEntry(string entry) =>
        !string.IsNullOrWhiteSpace(entry)
        && (TryParseNetwork(entry.Trim(), out _) || Uri.CheckHostName(entry.Trim()) == UriHostNameType.Dns);

    public bool AllowsHost(string host) => _hosts.Count > 0 && _hosts.Contains(NormalizeHost(host));

    public bool AllowsAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(network => network.Contains(plain));
    }

    private static string NormalizeHost(string host) => host.TrimEnd('.').Trim('[', ']');

    private static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }

        if ((entry.Contains(':', StringComparison.Ordinal) || entry.Count(c => c == '.') == 3) && IPAddress.TryParse(entry.Trim('[', ']'), out var single))
        {
            network = new IPNetwork(single, single.GetAddressBytes().Length * 8);
            return true;
        }

        return false;
    }
}
