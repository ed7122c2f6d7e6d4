namespace MovaCluster.Contracts.Queue;

/// <summary>
/// How long each phase of one completed run took, in milliseconds, with the job's shape (the key of the queue's
/// running statistics). Startup is from the worker's start to the encoding phase (checkpoint and image loading);
/// encoding covers the text encoder and the image condition (MOVA reports them as one phase); the step time is the
/// mean over the run's denoising steps; decoding covers the video and audio decoders; muxing and uploading belong
/// to the clip publisher.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobTimings")]
public sealed record JobTimings
{
    /// <summary>The model the job asked for ("" when any), as on its ticket.</summary>
    [Id(0)] public required string Model { get; init; }

    /// <summary>"{width}x{height}", as on the ticket.</summary>
    [Id(1)] public required string Resolution { get; init; }

    [Id(2)] public int FrameCount { get; init; }

    [Id(3)] public double StartupMilliseconds { get; init; }

    [Id(4)] public double EncodingMilliseconds { get; init; }

    [Id(5)] public double MillisecondsPerStep { get; init; }

    [Id(6)] public double DecodingMilliseconds { get; init; }

    [Id(7)] public double MuxingMilliseconds { get; init; }

    [Id(8)] public double UploadingMilliseconds { get; init; }
}
