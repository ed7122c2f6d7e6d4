namespace MovaCluster.Execution.Planned;

/// <summary>Sequence lengths of one model evaluation: video tokens, audio tokens and text context rows.</summary>
public sealed record TokenCounts(long Video, long Audio, long Text = 512)
{
    /// <summary>
    /// Token counts of a MOVA request (SPEC 4.2): latent frames (F − 1)/4 + 1, video tokens frames·(H/16)·(W/16),
    /// audio samples int(sample_rate·F/fps) and audio tokens ⌈samples/hop⌉. Defaults are the released checkpoints'.
    /// </summary>
    public static TokenCounts ForVideo(int height, int width, int frames, double fps, int sampleRate = 48000, int hopLength = 960, int spatialStride = 16, long textTokens = 512)
    {
        if (height % spatialStride != 0 || width % spatialStride != 0 || frames < 1 || (frames - 1) % 4 != 0 || !(fps > 0))
        {
            throw new ArgumentException($"{width}x{height} with {frames} frames at {fps} fps is not a valid MOVA geometry (sizes multiple of {spatialStride}, frames = 4k + 1).");
        }

        var latentFrames = (frames - 1) / 4 + 1;
        var video = (long)latentFrames * (height / spatialStride) * (width / spatialStride);
        var samples = (long)(sampleRate * (double)frames / fps);
        var audio = (samples - 1) / hopLength + 1;
        return new TokenCounts(video, audio, textTokens);
    }
}
