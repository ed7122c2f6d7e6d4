namespace MovaCluster.Contracts.Queue;

/// <summary>
/// Predicted phase times of a job of some shape, in milliseconds, from the queue's running statistics of completed
/// runs (see <see cref="JobTimings"/>). <see cref="Samples"/> is how many runs of this very shape it rests on; 0 means
/// it was scaled from other shapes or is the configured default.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.PhaseEstimate")]
public sealed record PhaseEstimate
{
    [Id(0)] public double StartupMilliseconds { get; init; }

    [Id(1)] public double EncodingMilliseconds { get; init; }

    [Id(2)] public double MillisecondsPerStep { get; init; }

    [Id(3)] public double DecodingMilliseconds { get; init; }

    [Id(4)] public double MuxingMilliseconds { get; init; }

    [Id(5)] public double UploadingMilliseconds { get; init; }

    [Id(6)] public int Samples { get; init; }

    /// <summary>Everything after the last step: decoding, muxing, uploading.</summary>
    public double TailMilliseconds => DecodingMilliseconds + MuxingMilliseconds + UploadingMilliseconds;

    /// <summary>A whole run of <paramref name="steps"/> steps.</summary>
    public double TotalMilliseconds(double steps) => StartupMilliseconds + EncodingMilliseconds + (steps * MillisecondsPerStep) + TailMilliseconds;
}
