namespace MovaCluster.Grains.Hosting;

/// <summary>The machine lacks something a silo with device workers needs; the message lists each piece and how to get it.</summary>
public sealed class WorkerHostPreflightException : Exception
{
    public WorkerHostPreflightException()
    {
    }

    public WorkerHostPreflightException(string message)
        : base(message)
    {
    }

    public WorkerHostPreflightException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
