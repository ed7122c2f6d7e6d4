namespace MovaCluster.Model.Caching;

/// <summary>
/// Device memory one cached job holds for its cache, for the planner: per CFG branch the stack residual (step level),
/// and the first layers' reference plus one residual per cached span (block level), each a copy of the tokens of both
/// towers (no audio part for spans past the audio depth), plus one more such copy while a full pass replaces them.
/// </summary>
public static class CacheMemoryEstimate
{
    /// <param name="settings">The job's cache settings.</param>
    /// <param name="layerCount">Video depth of the stack (MOVA: 40).</param>
    /// <param name="sharedLayerCount">Layers with an audio block (MOVA: 30).</param>
    /// <param name="videoTokens">Video tokens of the job (MOVA-720p, 193 frames: 49·45·80 = 176,400).</param>
    /// <param name="videoDim">Video width (MOVA: 5120).</param>
    /// <param name="audioTokens">Audio tokens of the job.</param>
    /// <param name="audioDim">Audio width (MOVA: 1536).</param>
    /// <param name="elementSize">Bytes per activation element (bf16: 2).</param>
    /// <param name="cfg">Whether the job runs a negative pass too.</param>
    public static long PeakBytes(
        CacheSettings settings, int layerCount, int sharedLayerCount, long videoTokens, int videoDim, long audioTokens, int audioDim, int elementSize, bool cfg)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var video = videoTokens * videoDim * elementSize;
        var audio = audioTokens * audioDim * elementSize;
        long perBranch = 0;
        if (settings.StepThreshold is not null)
        {
            perBranch += video + audio;
        }

        var layout = CacheLayout.For(layerCount, sharedLayerCount, settings.FirstLayers, settings.LastLayers, settings.BlockThreshold is not null);
        if (layout.HasCachedSpans)
        {
            perBranch += video + audio;
            perBranch += layout.Spans.Where(s => s.Cached).Sum(s => video + (s.HasAudio ? audio : 0));
        }

        if (perBranch == 0)
        {
            return 0;
        }

        return ((cfg ? 2 : 1) * perBranch) + video + audio;
    }
}
