namespace MovaCluster.Model.Imaging;

/// <summary>A reference image that cannot be used: unsupported format, corrupt data, or beyond the size limits.</summary>
public sealed class InvalidReferenceImageException : Exception
{
    public InvalidReferenceImageException()
    {
    }

    public InvalidReferenceImageException(string message)
        : base(message)
    {
    }

    public InvalidReferenceImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
