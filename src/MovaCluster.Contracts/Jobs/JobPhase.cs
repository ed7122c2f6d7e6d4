namespace MovaCluster.Contracts.Jobs;

/// <summary>The stage a running job is in.</summary>
[GenerateSerializer, Alias("MovaCluster.JobPhase")]
public enum JobPhase
{
    None = 0,
    Encoding = 1,
    DenoisingHighNoise = 2,
    DenoisingLowNoise = 3,
    Decoding = 4,
    Muxing = 5,
    Uploading = 6,
}
