using MovaCluster.Media.Frames;
using MovaCluster.Media.Muxing;

namespace MovaCluster.Media.Tests;

/// <summary>A white flash and a click at the same instant come out of the muxed file less than a frame apart.</summary>
public sealed class AudioVideoSyncTests : IDisposable
{
    private const int Width = 160;
    private const int Height = 96;
    private const double Fps = 24;
    private const int SampleRate = 48_000;

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mova-sync-");
    private readonly MediaTestServices _media = new();

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [InlineData(17)]
    [InlineData(53)]
    [InlineData(90)]
    public async Task Flash_and_click_stay_within_one_frame(int flashFrame)
    {
        const int frames = 97;
        var clickSample = (int)Math.Round(flashFrame / Fps * SampleRate);
        var frameSource = new GeneratedRgbFrames(Width, Height, frames, (index, destination, _) =>
        {
            destination.Span.Fill(index == flashFrame ? (byte)255 : (byte)24);
            return ValueTask.CompletedTask;
        });
        var audio = new float[(int)Math.Ceiling(frames / Fps * SampleRate) + 960];
        for (var i = 0; i < 240; i++)
        {
            audio[clickSample + i] = i % 2 == 0 ? 0.9f : -0.9f;
        }

        var path = Path.Combine(_work.FullName, $"sync-{flashFrame}.mp4");
        await _media.Muxer.MuxAsync(new ClipMuxRequest(frameSource, Fps, audio, SampleRate), path, CancellationToken.None);

        var probe = await FfprobeReport.RunAsync(path);
        var videoStart = FfprobeReport.Number(probe.Video, "start_time");
        var audioStart = FfprobeReport.Number(probe.Audio, "start_time");

        var brightest = -1;
        var brightestLevel = -1.0;
        await _media.Decoder.ReadFramesAsync(path, (index, frame, _) =>
        {
            long sum = 0;
            foreach (var value in frame.Span)
            {
                sum += value;
            }

            var level = (double)sum / frame.Length;
            if (level > brightestLevel)
            {
                brightestLevel = level;
                brightest = index;
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        var decodedAudio = await _media.Decoder.ReadAudioAsync(path, SampleRate, CancellationToken.None);
        var onset = Array.FindIndex(decodedAudio, s => Math.Abs(s) > 0.45f);

        Assert.True(onset >= 0, "the click was not found in the decoded audio");
        var flashTime = videoStart + (brightest / Fps);
        var clickTime = audioStart + ((double)onset / SampleRate);
        Assert.True(Math.Abs(flashTime - clickTime) < 1 / Fps, $"flash at {flashTime:F4} s (frame {brightest}), click at {clickTime:F4} s");
        Assert.Equal(flashFrame, brightest);
    }
}
