namespace MovaCluster.Grains.Queue;

/// <summary>Running averages (exponentially weighted) of the phase times of completed runs of one job shape.</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.PhaseAverages")]
public sealed class PhaseAverages
{
    [Id(0)] public string Model { get; set; } = "";

    [Id(1)] public string Resolution { get; set; } = "";

    [Id(2)] public int FrameCount { get; set; }

    /// <summary>Pixels x frames: how shapes are compared when one has no measurements of its own.</summary>
    [Id(3)] public long Volume { get; set; }

    [Id(4)] public int Samples { get; set; }

    [Id(5)] public double StartupMilliseconds { get; set; }

    [Id(6)] public double EncodingMilliseconds { get; set; }

    [Id(7)] public double MillisecondsPerStep { get; set; }

    [Id(8)] public double DecodingMilliseconds { get; set; }

    [Id(9)] public double MuxingMilliseconds { get; set; }

    [Id(10)] public double UploadingMilliseconds { get; set; }
}
