using System.Buffers;
using System.IO.Pipelines;

namespace MovaCluster.Api.Errors.Connections;

/// <summary>
/// The connection's output as Kestrel sees it: straight through to the transport while the application is
/// responding; otherwise bytes are held until the next flush, when a held error answer of Kestrel's own is rewritten
/// with a body. Held bytes always go out before any later ones, so the stream's order never changes (HTTP/2 frames
/// written between requests pass through the same way, unchanged).
/// </summary>
internal sealed class ErrorBodyPipeWriter(PipeWriter transport, ErrorBodyConnection connection) : PipeWriter
{
    private ArrayBufferWriter<byte>? _held;
    private bool _lastHandedOutHeld;

    public override bool CanGetUnflushedBytes => transport.CanGetUnflushedBytes;

    public override long UnflushedBytes => transport.UnflushedBytes + (_held?.WrittenCount ?? 0);

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (connection.ApplicationBusy)
        {
            Release();
            _lastHandedOutHeld = false;
            return transport.GetMemory(sizeHint);
        }

        _lastHandedOutHeld = true;
        return (_held ??= new ArrayBufferWriter<byte>(256)).GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_lastHandedOutHeld)
        {
            _held!.Advance(bytes);
        }
        else
        {
            transport.Advance(bytes);
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        return transport.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => transport.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Release();
        transport.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        return transport.CompleteAsync(exception);
    }

    private void Release()
    {
        if (_held is not { WrittenCount: > 0 } held)
        {
            return;
        }

        var bytes = held.WrittenSpan;
        if (KestrelErrorResponse.TryAddBody(bytes, connection.RequestPath) is { } rewritten)
        {
            transport.Write(rewritten);
        }
        else
        {
            transport.Write(bytes);
        }

        held.Clear();
    }
}
