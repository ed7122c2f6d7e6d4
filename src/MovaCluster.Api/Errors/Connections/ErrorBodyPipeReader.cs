using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace MovaCluster.Api.Errors.Connections;

/// <summary>
/// The connection's input as Kestrel reads it, unchanged; between requests it notes the path of the request line
/// that is being read, so an error answer Kestrel gives that request (headers too large, say) can take the shape of
/// the surface the client was calling.
/// </summary>
internal sealed class ErrorBodyPipeReader(PipeReader transport, ErrorBodyConnection connection) : PipeReader
{
    private const int MaxLine = 8 * 1024;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await transport.ReadAsync(cancellationToken).ConfigureAwait(false);
        Note(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!transport.TryRead(out result))
        {
            return false;
        }

        Note(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => transport.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => transport.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => transport.CancelPendingRead();

    public override void Complete(Exception? exception = null) => transport.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => transport.CompleteAsync(exception);

    /// <summary>Keeps the path of a request line at the start of <paramref name="buffer"/>, read while no request is being handled.</summary>
    private void Note(ReadOnlySequence<byte> buffer)
    {
        if (connection.ApplicationBusy || buffer.IsEmpty)
        {
            return;
        }

        var head = buffer.Slice(0, Math.Min(buffer.Length, MaxLine));
        var line = Encoding.Latin1.GetString(head.ToArray());
        var end = line.IndexOf("\r\n", StringComparison.Ordinal);
        var parts = (end < 0 ? line : line[..end]).Split(' ');
        if (parts.Length >= 2 && parts[0].Length is > 0 and < 20 && parts[0].All(char.IsAsciiLetterUpper) && parts[1].StartsWith('/'))
        {
            connection.RequestPath = parts[1].Split('?')[0];
        }
    }
}
