using System.Net;
using System.Net.Sockets;

namespace MovaCluster.Storage.Tests;

/// <summary>
/// A loopback TCP proxy in front of the S3 server that can play a server going away: after a number of request
/// bytes it cuts the connection carrying them, and from then on either refuses every new connection (accepts and
/// closes at once) or recovers and forwards again. It can also throttle uploads to make them take a while.
/// </summary>
internal sealed class FaultyTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private long _requestBytes;
    private int _cut;
    private int _refusedConnections;
    private int _partUploads;

    public FaultyTcpProxy(string targetHostPort)
    {
        var parts = targetHostPort.Split(':');
        _target = new IPEndPoint(IPAddress.Parse(parts[0] == "localhost" ? "127.0.0.1" : parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>host:port of the proxy.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Cut once this many request bytes have passed; null never cuts.</summary>
    public long? CutAfterRequestBytes { get; init; }

    /// <summary>After the cut: true refuses all later connections, false forwards them normally.</summary>
    public bool RefuseAfterCut { get; init; } = true;

    /// <summary>Upload speed limit in bytes per second; null is unlimited.</summary>
    public long? RequestBytesPerSecond { get; init; }

    public bool HasCut => Volatile.Read(ref _cut) == 1;

    public int RefusedConnections => Volatile.Read(ref _refusedConnections);

    /// <summary>Requests seen that upload one part of a multipart upload.</summary>
    public int PartUploads => Volatile.Read(ref _partUploads);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (HasCut && RefuseAfterCut)
            {
                Interlocked.Increment(ref _refusedConnections);
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var requests = PumpAsync(client.GetStream(), upstream.GetStream(), countRequests: true, connection);
                var responses = PumpAsync(upstream.GetStream(), client.GetStream(), countRequests: false, connection);
                await Task.WhenAny(requests, responses);
                await connection.CancelAsync();
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side went away; close both.
            }

            client.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private void CountPartUploads(ReadOnlySpan<byte> chunk)
    {
        ReadOnlySpan<byte> marker = "PUT /"u8;
        for (var at = chunk.IndexOf(marker); at >= 0; at = NextIndex(chunk, marker, at))
        {
            var lineEnd = chunk[at..].IndexOf((byte)'\n');
            var line = lineEnd < 0 ? chunk[at..] : chunk.Slice(at, lineEnd);
            if (line.IndexOf("partNumber="u8) >= 0)
            {
                Interlocked.Increment(ref _partUploads);
            }
        }
    }

    private static int NextIndex(ReadOnlySpan<byte> chunk, ReadOnlySpan<byte> marker, int previous)
    {
        var next = chunk[(previous + 1)..].IndexOf(marker);
        return next < 0 ? -1 : previous + 1 + next;
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool countRequests, CancellationTokenSource connection)
    {
        var buffer = new byte[16 * 1024];
        var started = DateTime.UtcNow;
        long sent = 0;
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, connection.Token);
                if (read == 0)
                {
                    return;
                }

                if (countRequests)
                {
                    CountPartUploads(buffer.AsSpan(0, read));
                    var total = Interlocked.Add(ref _requestBytes, read);
                    if (CutAfterRequestBytes is { } limit && total > limit && Interlocked.CompareExchange(ref _cut, 1, 0) == 0)
                    {
                        return;
                    }

                    if (RequestBytesPerSecond is { } rate)
                    {
                        sent += read;
                        var due = started + TimeSpan.FromSeconds((double)sent / rate);
                        var wait = due - DateTime.UtcNow;
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, connection.Token);
                        }
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read), connection.Token);
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Connection closed.
        }
    }
}
