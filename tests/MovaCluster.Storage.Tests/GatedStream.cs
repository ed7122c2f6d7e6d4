namespace MovaCluster.Storage.Tests;

/// <summary>A readable stream that pauses (or fails) after a number of bytes, to catch a writer mid-upload.</summary>
internal sealed class GatedStream(byte[] data, int releaseAfter, bool failInsteadOfPausing = false) : Stream
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    public Task Paused => _paused.Task;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => _position = (int)value;
    }

    public void Release() => _released.TrySetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= releaseAfter && !_released.Task.IsCompleted)
        {
            if (failInsteadOfPausing)
            {
                throw new IOException("The source went away.");
            }

            _paused.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        var limit = _position < releaseAfter ? releaseAfter : data.Length;
        var count = Math.Min(buffer.Length, limit - _position);
        data.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => data.Length + offset,
    };

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
