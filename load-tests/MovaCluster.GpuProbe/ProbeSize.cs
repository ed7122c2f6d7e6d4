namespace MovaCluster.GpuProbe;

/// <summary>Which shapes a run uses.</summary>
internal enum ProbeSize
{
    /// <summary>The tiny model and bench shapes: seconds on a cpu (CI).</summary>
    Tiny,

    /// <summary>The bench config and the MOVA-360p-shaped step (about 37 GB of bf16 weights): a GPU.</summary>
    Full,
}
