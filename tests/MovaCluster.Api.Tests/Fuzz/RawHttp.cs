using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MovaCluster.Api.Tests.Fuzz;

/// <summary>
/// Bytes on a fresh loopback TCP connection, for requests no HTTP client would send (malformed request lines and
/// headers, broken chunking, bodies shorter than announced); reads whatever answer comes until the server closes.
/// </summary>
public static class RawHttp
{
    public static async Task<RawAnswer?> SendAsync(int port, byte[] request, bool closeAfterSending, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cancellation = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellation.Token);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, cancellation.Token);
            if (closeAfterSending)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server may refuse the rest of a request it already rejected; its answer is still to be read.
        }

        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
                if (RawAnswer.TryParse(received.ToArray()) is { Complete: true } complete)
                {
                    return complete;
                }
            }
        }
        catch (Exception failure) when (failure is SocketException or OperationCanceledException)
        {
        }

        return received.Length == 0 ? null : RawAnswer.TryParse(received.ToArray());
    }
}

/// <summary>An HTTP/1.x answer read off the wire: status, headers and the (de-chunked) body.</summary>
public sealed record RawAnswer(int Status, Dictionary<string, string> Headers, byte[] Body, bool Complete)
{
    public string? ContentType => Headers.GetValueOrDefault("content-type");

    public static RawAnswer? TryParse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        while (text.StartsWith("HTTP/1.1 1", StringComparison.Ordinal) && text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var interim and > 0)
        {
            // An interim answer (100 Continue): the final one follows.
            bytes = bytes[(interim + 4)..];
            text = text[(interim + 4)..];
        }

        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0 || !text.StartsWith("HTTP/1.", StringComparison.Ordinal) || text.Length < 12
            || !int.TryParse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text[..end].Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        var body = bytes.AsSpan(end + 4);
        if (headers.TryGetValue("content-length", out var length) && int.TryParse(length, out var expected))
        {
            return body.Length >= expected ? new RawAnswer(status, headers, body[..expected].ToArray(), true) : new RawAnswer(status, headers, body.ToArray(), false);
        }

        if (headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return Dechunk(status, headers, body.ToArray());
        }

        return new RawAnswer(status, headers, body.ToArray(), false);
    }

    private static RawAnswer Dechunk(int status, Dictionary<string, string> headers, byte[] body)
    {
        using var content = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOf(body, position);
            if (lineEnd < 0)
            {
                return new RawAnswer(status, headers, content.ToArray(), false);
            }

            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd - position).Split(';')[0];
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size))
            {
                return new RawAnswer(status, headers, content.ToArray(), false);
            }

            position = lineEnd + 2;
            if (size == 0)
            {
                return new RawAnswer(status, headers, content.ToArray(), true);
            }

            if (position + size > body.Length)
            {
                return new RawAnswer(status, headers, content.ToArray(), false);
            }

            content.Write(body, position, size);
            position += size + 2;
        }
    }

    private static int IndexOf(byte[] bytes, int from)
    {
        for (var i = from; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
