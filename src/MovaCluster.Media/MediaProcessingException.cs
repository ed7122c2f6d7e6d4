namespace MovaCluster.Media;

/// <summary>An ffmpeg run failed; the message carries the end of ffmpeg's own error output.</summary>
public sealed class MediaProcessingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MediaProcessingException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public MediaProcessingException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public MediaProcessingException(string message)
        : base(message)
    {
    }
}
