namespace MovaCluster.Contracts.Progress;

/// <summary>Which of MOVA's two video experts ran a denoising step.</summary>
[GenerateSerializer, Alias("MovaCluster.DenoisingExpert")]
public enum DenoisingExpert
{
    HighNoise = 0,
    LowNoise = 1,
}
