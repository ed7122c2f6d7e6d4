namespace MovaCluster.Media.Muxing;

/// <summary>The outcome of a mux: what was fed in and how long the encode took.</summary>
/// <param name="OutputPath">The MP4 written.</param>
/// <param name="FramesWritten">Frames handed to the encoder.</param>
/// <param name="AudioSamplesWritten">Samples handed to the encoder (0 for a silent clip).</param>
/// <param name="Elapsed">Wall time of the ffmpeg run.</param>
public sealed record ClipMuxResult(string OutputPath, int FramesWritten, int AudioSamplesWritten, TimeSpan Elapsed);
