using MovaCluster.Media.Frames;
using MovaCluster.Media.Muxing;

namespace MovaCluster.Media.Tests;

public sealed class ClipMuxerTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mova-mux-");
    private readonly MediaTestServices _media = new();

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Mux_writes_h264_yuv420p_and_mono_aac_48k_with_moov_first()
    {
        // MOVA's shape in miniature: 1 + 4k frames at 24 fps, audio a little longer than the video.
        const int frames = 49;
        var audio = SyntheticClips.Tone((frames / 24.0) + 0.02);
        var path = Path.Combine(_work.FullName, "clip.mp4");

        var result = await _media.Muxer.MuxAsync(new ClipMuxRequest(SyntheticClips.Gradient(320, 176, frames), 24, audio), path, CancellationToken.None);

        Assert.Equal(frames, result.FramesWritten);
        Assert.Equal(frames * 2000, result.AudioSamplesWritten); // the longer audio is trimmed to the video: 48000 / 24 samples per frame
        var probe = await FfprobeReport.RunAsync(path);
        var video = probe.Video;
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal("yuv420p", video.GetProperty("pix_fmt").GetString());
        Assert.Equal(320, video.GetProperty("width").GetInt32());
        Assert.Equal(176, video.GetProperty("height").GetInt32());
        Assert.Equal(24.0, FfprobeReport.Rational(video, "avg_frame_rate"), 6);
        Assert.Equal(frames, int.Parse(video.GetProperty("nb_read_frames").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(frames / 24.0, FfprobeReport.Number(video, "duration"), 3);

        var sound = probe.Audio;
        Assert.Equal("aac", sound.GetProperty("codec_name").GetString());
        Assert.Equal("48000", sound.GetProperty("sample_rate").GetString());
        Assert.Equal(1, sound.GetProperty("channels").GetInt32());
        // -shortest: the longer audio is cut to the video, to within one AAC frame (1024 samples).
        Assert.InRange(FfprobeReport.Number(sound, "duration"), (frames / 24.0) - (1024 / 48_000.0), (frames / 24.0) + (1024 / 48_000.0));

        var boxes = Mp4Boxes.TopLevel(path);
        Assert.True(boxes.IndexOf("moov") >= 0 && boxes.IndexOf("moov") < boxes.IndexOf("mdat"), "+faststart puts moov before mdat; boxes: " + string.Join(",", boxes));
    }

    [Fact]
    public async Task Shorter_audio_shortens_the_clip()
    {
        var path = Path.Combine(_work.FullName, "short-audio.mp4");

        await _media.Muxer.MuxAsync(new ClipMuxRequest(SyntheticClips.Gradient(160, 96, 48), 24, SyntheticClips.Tone(1.0)), path, CancellationToken.None);

        var probe = await FfprobeReport.RunAsync(path);
        var container = FfprobeReport.Number(probe.Root.GetProperty("format"), "duration");
        Assert.InRange(container, 1.0 - (1024 / 48_000.0), 1.0 + (1 / 24.0));
        Assert.InRange(int.Parse(probe.Video.GetProperty("nb_read_frames").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 24, 24);
    }

    [Fact]
    public async Task Silent_clip_has_only_video()
    {
        var path = Path.Combine(_work.FullName, "silent.mp4");

        await _media.Muxer.MuxAsync(new ClipMuxRequest(SyntheticClips.Gradient(160, 96, 13), 24, ReadOnlyMemory<float>.Empty), path, CancellationToken.None);

        var probe = await FfprobeReport.RunAsync(path);
        var streams = probe.Root.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_type").GetString()).ToList();
        Assert.Equal(["video"], streams);
    }

    [Fact]
    public async Task Crf_5_keeps_frames_close_to_the_source()
    {
        var source = SyntheticClips.Gradient(160, 96, 25);
        var path = Path.Combine(_work.FullName, "quality.mp4");
        await _media.Muxer.MuxAsync(new ClipMuxRequest(source, 24, SyntheticClips.Tone(1.1)), path, CancellationToken.None);

        var expected = new byte[source.BytesPerFrame()];
        var worst = 0.0;
        var decoded = await _media.Decoder.ReadFramesAsync(path, async (index, frame, token) =>
        {
            await source.CopyFrameAsync(index, expected, token);
            long error = 0;
            var actual = frame.Span;
            for (var i = 0; i < expected.Length; i++)
            {
                error += Math.Abs(actual[i] - expected[i]);
            }

            worst = Math.Max(worst, (double)error / expected.Length);
        }, CancellationToken.None);

        Assert.Equal(25, decoded);
        // yuv420p halves chroma resolution, so even CRF 5 is not lossless; a wrong frame order or size is far worse.
        Assert.True(worst < 4.0, $"mean absolute error per channel {worst:F2}");
    }

    [Fact]
    public async Task Cancelling_a_mux_stops_ffmpeg_and_reports_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var requested = 0;
        var frames = new GeneratedRgbFrames(320, 176, 2_000, (index, destination, _) =>
        {
            requested = index + 1;
            destination.Span.Fill((byte)index);
            if (index == 20)
            {
                cancel.Cancel();
            }

            return ValueTask.CompletedTask;
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _media.Muxer.MuxAsync(new ClipMuxRequest(frames, 24, SyntheticClips.Tone(90)), Path.Combine(_work.FullName, "cancelled.mp4"), cancel.Token));

        Assert.True(requested < 2_000, $"the muxer kept pulling frames after cancellation ({requested})");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_failing_frame_source_fails_the_mux_with_its_own_error()
    {
        var frames = new GeneratedRgbFrames(160, 96, 50, (index, destination, _) =>
            index == 5 ? throw new InvalidOperationException("frame 5 could not be decoded") : ValueTask.CompletedTask);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _media.Muxer.MuxAsync(new ClipMuxRequest(frames, 24, SyntheticClips.Tone(2)), Path.Combine(_work.FullName, "broken.mp4"), CancellationToken.None));

        Assert.Equal("frame 5 could not be decoded", error.Message);
    }

    [Fact]
    public async Task Frame_sizes_that_are_not_multiples_of_16_are_refused()
    {
        var request = new ClipMuxRequest(SyntheticClips.Gradient(100, 96, 3), 24, ReadOnlyMemory<float>.Empty);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _media.Muxer.MuxAsync(request, Path.Combine(_work.FullName, "x.mp4"), CancellationToken.None));

        Assert.Contains("multiples of 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ffmpeg_failure_reports_what_ffmpeg_said()
    {
        var path = Path.Combine(_work.FullName, "no-such-folder", "clip.mp4");
        var request = new ClipMuxRequest(SyntheticClips.Gradient(160, 96, 5), 24, SyntheticClips.Tone(0.3));

        var error = await Assert.ThrowsAsync<MediaProcessingException>(() => _media.Muxer.MuxAsync(request, path, CancellationToken.None));

        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }
}
