using Microsoft.Extensions.Options;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Model.Tests.Pipeline;

/// <summary>
/// Prompt → tokens → UMT5 → denoiser → VAE + DAC decode on the CPU with the tiny random-weight goldens: the
/// denoiser, DAC and scheduler from mova-tiny, UMT5, tokenizer and video VAE from codecs-tiny (text widths and latent
/// channels line up: UMT5 d_model 32 = text_dim 32, VAE z 16, DAC latent 8 = audio in_dim 8).
/// </summary>
public sealed class MovaPipelineEndToEndTests
{
    private static MovaComponentPaths TinyPaths() => new(
        GoldenSet.Root,
        CodecGoldenSet.Component("text_encoder"),
        CodecGoldenSet.Component("tokenizer"),
        CodecGoldenSet.Component("video_vae"),
        GoldenSet.Component("audio_vae"),
        Path.Combine(GoldenSet.Root, "scheduler", "scheduler_config.json"),
        Path.Combine(GoldenSet.Root, "model_index.json"));

    private static MovaGenerationRequest Request(string prompt, torch.Tensor image) => new()
    {
        Prompt = prompt,
        NegativePrompt = "blurry, static",
        ReferenceImage = image,
        Height = 32,
        Width = 32,
        NumFrames = 9,
        Fps = 24,
        NumInferenceSteps = 4,
        CfgScale = 5.0,
        Seed = 42,
    };

    [Fact]
    public void Tiny_pipeline_turns_a_prompt_and_image_into_rgb_frames_and_pcm_deterministically()
    {
        using var cache = new TextEmbeddingCache(Options.Create(new TextEmbeddingCacheOptions()));
        using var pipeline = MovaPipeline.Load(TinyPaths(), DTypePolicy.Float32, torch.CPU, cache, maxSequenceLength: 16);
        using var image = torch.rand([1, 3, 32, 32], generator: new torch.Generator(5)) * 2 - 1;
        var experts = new List<VideoExpert>();

        var first = pipeline.Generate(Request("A cat plays the piano.", image), p => experts.Add(p.Expert));
        var again = pipeline.Generate(Request("A cat plays the piano.", image));
        var other = pipeline.Generate(Request("A dog barks at the sea.", image));

        // 9 frames of 32x32 RGB; int(480 * 9 / 24) = 180 samples -> 30 latent frames x hop 6 = 180 samples.
        Assert.Equal((32, 32, 9), (first.Video.Width, first.Video.Height, first.Video.FrameCount));
        Assert.All(first.Video.Frames, f => Assert.Equal(32 * 32 * 3, f.Length));
        Assert.Equal(180, first.Audio.Length);
        Assert.Equal(480, first.SampleRate);
        Assert.All(first.Audio, s => Assert.InRange(s, -1f, 1f));
        Assert.True(first.Audio.Any(s => s != 0f), "audio is silent");
        Assert.True(first.Video.Frames.SelectMany(f => f).Distinct().Count() > 16, "video is flat");
        // Steps 0-1 at t >= 900 use the high-noise expert, then the low-noise one (SPEC 8: N=4 switches at step 2).
        Assert.Equal([VideoExpert.HighNoise, VideoExpert.HighNoise, VideoExpert.LowNoise, VideoExpert.LowNoise], experts);

        Assert.True(first.Video.Frames.Zip(again.Video.Frames).All(p => p.First.AsSpan().SequenceEqual(p.Second)), "same seed, same frames");
        Assert.Equal(first.Audio, again.Audio);
        Assert.False(first.Audio.SequenceEqual(other.Audio), "the prompt reaches the audio");

        // Three prompts' worth of positives (two distinct) plus the negative prompt encoded once.
        Assert.Equal(3L, cache.Misses);
        Assert.Equal(3L, cache.Hits);
    }

    [Fact]
    public void Invalid_requests_are_refused_with_every_problem_listed()
    {
        using var image = torch.zeros([1, 3, 32, 32]);
        var request = Request("x", image) with { Height = 30, NumFrames = 8, CfgScale = 0.5 };

        var errors = request.Validate();

        Assert.Equal(4, errors.Count);
    }
}
