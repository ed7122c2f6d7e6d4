using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MovaCluster.Testing;

/// <summary>
/// Ports for the servers tests start. They are drawn at random below Linux's ephemeral range (32768 and up), not from
/// a port-0 listener: a port-0 number comes from the range outgoing connections take their local ports from, so one
/// of the many clients the suite runs could take it between this call and the server's bind.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: draw another.
            }
        }

        using var fallback = new TcpListener(IPAddress.Loopback, 0);
        fallback.Start();
        return ((IPEndPoint)fallback.LocalEndpoint).Port;
    }
}
