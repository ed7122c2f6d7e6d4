namespace MovaCluster.Storage.Retries;

/// <summary>A store request went wrong in a way the store itself detected (bad status, size mismatch).</summary>
public sealed class ClipTransferException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClipTransferException(string message, bool transient, Exception? innerException = null)
        : base(message, innerException) => Transient = transient;

    /// <summary>Creates the exception without details.</summary>
    public ClipTransferException()
    {
    }

    /// <summary>Creates a non-transient exception with a message.</summary>
    public ClipTransferException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a non-transient exception with a message and a cause.</summary>
    public ClipTransferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether another attempt might succeed.</summary>
    public bool Transient { get; }
}
