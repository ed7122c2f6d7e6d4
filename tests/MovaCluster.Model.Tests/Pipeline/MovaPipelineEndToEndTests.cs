using Microsoft.Extensions.Options;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Model.Tests.Pipeline;

/// <summary>
/// Prompt → tokens → UMT5 → denoiser → VAE + DAC decode on the CPU: the denoiser, DAC, scheduler and boundary ratio of
/// the MOVA golden set, completed by a text encoder, tokenizer and video VAE written to fit it (<see cref="FittingCodecs"/>).
/// </summary>
public sealed class MovaPipelineEndToEndTests : IDisposable
{
    private const int Frames = 9;
    private const double Fps = 24;
    private readonly string _codecs = Directory.CreateTempSubdirectory("mova-pipeline-codecs-").FullName;

    private static MovaGenerationRequest Request(string prompt, torch.Tensor image, int steps = 4) => new()
    {
        Prompt = prompt,
        NegativePrompt = "blurry, static",
        ReferenceImage = image,
        Height = 32,
        Width = 32,
        NumFrames = Frames,
        Fps = Fps,
        NumInferenceSteps = steps,
        CfgScale = 5.0,
        Seed = 42,
    };

    /// <summary>
    /// A step count of the set's scheduler goldens run with the set's own scheduler config, and the step where the
    /// official pipeline switches experts there: the fewest steps that use both experts, else the fewest.
    /// </summary>
    private static (int Steps, int SwitchStep) OfficialSwitch()
    {
        var config = GoldenSet.SchedulerConfig;
        var combos = GoldenSet.SchedulerCases
            .SelectMany(n => GoldenSet.CaseEntry(n).GetProperty("params").GetProperty("combos").EnumerateArray())
            .Select(c => (
                Steps: c.GetProperty("num_inference_steps").GetInt32(),
                Switch: c.GetProperty("switch_step_at_boundary").GetInt32(),
                Config: ConfigJson.Parse<FlowMatchSchedulerConfig>(c.GetProperty("scheduler_config").GetRawText(), "combo")))
            .Where(c => c.Config with { NumInferenceSteps = config.NumInferenceSteps } == config && c.Steps >= 2)
            .OrderBy(c => c.Switch > 0 && c.Switch < c.Steps ? 0 : 1)
            .ThenBy(c => c.Steps)
            .ToList();
        Assert.True(combos.Count > 0, "the set's scheduler case has no combo with the set's scheduler config");
        return (combos[0].Steps, combos[0].Switch);
    }

    [Fact]
    public void Tiny_pipeline_turns_a_prompt_and_image_into_rgb_frames_and_pcm_deterministically()
    {
        var (steps, switchStep) = OfficialSwitch();
        var dac = ConfigJson.Load<DacConfig>(GoldenSet.Component("audio_vae"));
        using var cache = new TextEmbeddingCache(Options.Create(new TextEmbeddingCacheOptions()));
        using var pipeline = MovaPipeline.Load(FittingCodecs.Write(_codecs, GoldenSet.Root), DTypePolicy.Float32, torch.CPU, cache, maxSequenceLength: 16);
        using var image = torch.rand([1, 3, 32, 32], generator: new torch.Generator(5)) * 2 - 1;
        var experts = new List<VideoExpert>();

        var first = pipeline.Generate(Request("A cat plays the piano.", image, steps), p => experts.Add(p.Expert));
        var again = pipeline.Generate(Request("A cat plays the piano.", image, steps));
        var other = pipeline.Generate(Request("A dog barks at the sea.", image, steps));

        Assert.Equal((32, 32, Frames), (first.Video.Width, first.Video.Height, first.Video.FrameCount));
        Assert.All(first.Video.Frames, f => Assert.Equal(32 * 32 * 3, f.Length));
        // The official length: int(sample_rate * frames / fps) samples in ceil(samples / hop) latent frames, decoded untrimmed.
        var samples = (long)(dac.SampleRate * Frames / Fps);
        var latentFrames = ((samples - 1) / dac.HopLength) + 1;
        Assert.Equal(latentFrames * dac.HopLength, first.Audio.Length);
        Assert.Equal(dac.SampleRate, first.SampleRate);
        Assert.All(first.Audio, s => Assert.InRange(s, -1f, 1f));
        Assert.True(first.Audio.Any(s => s != 0f), "audio is silent");
        Assert.True(first.Video.Frames.SelectMany(f => f).Distinct().Count() > 16, "video is flat");
        // The high-noise expert until the step the official scheduler goldens switch at (model_index.json's boundary).
        Assert.Equal(Enumerable.Repeat(VideoExpert.HighNoise, switchStep).Concat(Enumerable.Repeat(VideoExpert.LowNoise, steps - switchStep)), experts);

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

    public void Dispose() => Directory.Delete(_codecs, recursive: true);
}
