using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;
using FFMpegCore.Exceptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Media.Pipes;

namespace MovaCluster.Media.Muxing;

/// <summary>
/// Muxes through two ffmpeg pipe inputs (raw rgb24 video, f32le audio) straight into the MP4 encoder: no raw temp
/// files, and at most one raw frame and one audio chunk in flight.
/// </summary>
public sealed partial class ClipMuxer(FfmpegBinaries binaries, IOptions<MediaOptions> options, ILogger<ClipMuxer> logger) : IClipMuxer
{
    /// <inheritdoc />
    public async Task<ClipMuxResult> MuxAsync(ClipMuxRequest request, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        request.Validate();
        var settings = options.Value;
        var (frameCount, audio) = TrimToShorterStream(request);
        var video = new RgbFramePipeSource(request.Frames, frameCount, request.FrameRate);
        var hasAudio = audio.Length > 0;
        var arguments = FFMpegArguments.FromPipeInput(video);
        if (hasAudio)
        {
            arguments = arguments.AddPipeInput(new FloatPcmPipeSource(audio, request.SampleRate));
        }

        var errors = new FfmpegErrorText();
        var processor = arguments
            .OutputToFile(outputPath, overwrite: true, output =>
            {
                output
                    .WithCustomArgument("-map 0:v:0" + (hasAudio ? " -map 1:a:0" : ""))
                    .WithVideoCodec(VideoCodec.LibX264)
                    .WithConstantRateFactor(settings.VideoCrf)
                    .WithCustomArgument("-preset " + settings.VideoPreset)
                    .WithCustomArgument("-pix_fmt yuv420p")
                    .WithFastStart();
                if (hasAudio)
                {
                    output
                        .WithAudioCodec(AudioCodec.Aac)
                        .WithAudioBitrate(settings.AudioBitrateKbps)
                        .WithCustomArgument(string.Create(CultureInfo.InvariantCulture, $"-ar {request.SampleRate} -ac 1"))
                        .WithShortest();
                }
            })
            .NotifyOnStandardError(errors.Add);

        var clock = Stopwatch.StartNew();
        try
        {
            await processor.ProcessAsynchronously(throwOnError: true, binaries.Create(), cancellationToken).ConfigureAwait(false);
        }
        catch (FFMpegException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var said = errors.ToString();
            throw new MediaProcessingException($"ffmpeg could not mux {request.Frames.FrameCount} frames into an MP4{(said.Length > 0 ? ": " + said : "")}", ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
        clock.Stop();
        if (video.FramesWritten != frameCount)
        {
            throw new MediaProcessingException($"ffmpeg stopped reading after {video.FramesWritten} of {frameCount} frames: {errors}");
        }

        LogMuxed(logger, outputPath, video.FramesWritten, audio.Length, clock.Elapsed.TotalMilliseconds);
        return new ClipMuxResult(outputPath, video.FramesWritten, audio.Length, clock.Elapsed);
    }

    /// <summary>
    /// The SPEC's A/V length rule is ffmpeg's <c>-shortest</c>, but with pipe inputs and encoder lookahead ffmpeg
    /// overshoots by up to a second; trimming what is fed makes the rule exact: the longer stream is cut to the
    /// shorter one (video to whole frames covering the audio, audio to the sample at the video's end).
    /// </summary>
    private static (int FrameCount, ReadOnlyMemory<float> Audio) TrimToShorterStream(ClipMuxRequest request)
    {
        var frames = request.Frames.FrameCount;
        var audio = request.Audio;
        if (audio.IsEmpty)
        {
            return (frames, audio);
        }

        var videoSeconds = frames / request.FrameRate;
        var audioSeconds = (double)audio.Length / request.SampleRate;
        if (audioSeconds < videoSeconds)
        {
            return ((int)Math.Clamp(Math.Ceiling((audioSeconds * request.FrameRate) - 1e-9), 1, frames), audio);
        }

        var samples = (int)Math.Min(audio.Length, Math.Round(videoSeconds * request.SampleRate));
        return (frames, audio[..samples]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Muxed {Path}: {Frames} frames, {Samples} audio samples in {ElapsedMs:F0} ms")]
    private static partial void LogMuxed(ILogger logger, string path, int frames, int samples, double elapsedMs);
}
