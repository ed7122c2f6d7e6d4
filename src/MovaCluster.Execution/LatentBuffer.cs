namespace MovaCluster.Execution;

/// <summary>A host copy of one latent tensor: its shape and its fp32 values, exactly as the sampler held them.</summary>
public sealed record LatentBuffer(long[] Shape, float[] Values)
{
    public long ElementCount => Shape.Aggregate(1L, (product, size) => product * size);
}
