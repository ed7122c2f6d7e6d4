namespace MovaCluster.Storage.LocalDisk;

/// <summary>Reads at most a fixed number of bytes from an inner stream, which it owns.</summary>
internal sealed class BoundedReadStream(Stream inner, long length) : Stream
{
    private long _consumed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _consumed;
        set => throw new NotSupportedException("A range is read forward only.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, length - _consumed)]);
        _consumed += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _consumed)], cancellationToken).ConfigureAwait(false);
        _consumed += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A range is read forward only.");

    public override void SetLength(long value) => throw new NotSupportedException("A range is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A range is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
