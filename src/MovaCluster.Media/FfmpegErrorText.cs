namespace MovaCluster.Media;

/// <summary>Keeps the tail of ffmpeg's stderr so a failure can say what ffmpeg said.</summary>
internal sealed class FfmpegErrorText
{
    private const int KeptLines = 12;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }
}
