namespace MovaCluster.Model.Codecs.Video;

/// <summary>What a Wan resample block does in space and time.</summary>
public enum WanResampleMode
{
    Upsample2d,
    Upsample3d,
    Downsample2d,
    Downsample3d,
}
