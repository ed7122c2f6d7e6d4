namespace MovaCluster.GpuProbe;

/// <summary>The probe thread's resident: nothing; each section builds and disposes its own modules.</summary>
internal sealed class ProbeThread : IDisposable
{
    public void Dispose()
    {
    }
}
