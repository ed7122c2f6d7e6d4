namespace MovaCluster.Storage;

/// <summary>An HTTP response body that disposes its response (and so frees the connection) when disposed.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream body) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException("The response has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("Response bodies are read forward only.");
        set => throw new NotSupportedException("Response bodies are read forward only.");
    }

    public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => body.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        body.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        body.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("Response bodies are read forward only.");

    public override void SetLength(long value) => throw new NotSupportedException("Response bodies are read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Response bodies are read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
