using System.Text.Json.Nodes;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Positional;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>
/// The golden sets on the probe's device in float32, with the tolerances of the cpu tests: every DiT block, bridge
/// layer, single step (against float32 and float64 references), sampling loop and DAC case of the MOVA set, and the
/// VAE decode and UMT5 cases of the codec set. On cuda, TF32 is switched off for matmuls and cuDNN convolutions
/// (libtorch enables it for cuDNN by default), because float32 means float32 here.
/// </summary>
internal sealed class GoldenSection : IProbeSection
{
    private const double Single = 1e-5;
    private const double Loop = 1e-4;
    private const double Dac = 2e-6;
    private const double Vae = 1e-4;
    private const double Umt5 = 5e-5;

    public string Name => "goldens";

    public JsonObject Run(ProbeContext context)
    {
        if (context.IsCuda)
        {
            torch.backends.cuda.matmul.allow_tf32 = false;
            torch.backends.cudnn.allow_tf32 = false;
        }

        var device = context.Device;
        var checks = new GoldenChecks();
        using (var denoiser = MovaDenoiserLoader.Load(GoldenSet.Root, DTypePolicy.Float32, device))
        {
            Each(checks, "block", GoldenSet.BlockCases, golden => Block(checks, denoiser, golden, device));
            Each(checks, "bridge", GoldenSet.BridgeLayerCases, golden => Bridge(checks, denoiser, golden, device));
            Each(checks, "single_step", GoldenSet.SingleStepCases, golden => SingleStep(checks, denoiser, golden, device));
            Each(checks, "loop", GoldenSet.LoopCases, golden => SamplingLoop(checks, denoiser, golden, device));
        }

        using (var decoder = DacAudioDecoder.FromFolder(GoldenSet.Component("audio_vae"), device))
        {
            Each(checks, "dac", GoldenSet.DacCases, golden => checks.Relative("dac", golden.Name, "output.audio", decoder.Decode(golden["input.z"].to(device)), golden["output.audio"], Dac));
        }

        using (var vae = WanVideoVae.FromFolder(CodecGoldenSet.Component("video_vae"), device))
        {
            foreach (var name in CodecGoldenSet.CasesWith("input.latent", "output.video", "intermediate.decoder"))
            {
                Codec(checks, "vae_decode", name, file => checks.Absolute("vae_decode", name, "output.video", vae.Decode(file.Read("input.latent").to(device)), file.Read("output.video"), Vae));
            }
        }

        using (var umt5 = Umt5EncoderModel.FromFolder(CodecGoldenSet.Component("text_encoder"), device))
        {
            foreach (var name in CodecGoldenSet.CasesWith("input.input_ids", "input.attention_mask", "output.last_hidden_state"))
            {
                Codec(checks, "umt5", name, file =>
                {
                    var hidden = umt5.Forward(file.Read("input.input_ids").to(device), file.Read("input.attention_mask").to(device));
                    checks.Absolute("umt5", name, "output.last_hidden_state", hidden, file.Read("output.last_hidden_state"), Umt5);
                });
            }
        }

        var result = checks.ToJson();
        result["golden_sets"] = new JsonObject { ["mova"] = GoldenSet.Root, ["codecs"] = CodecGoldenSet.Root };
        result["backend"] = context.Backend();
        return result;
    }

    private static void Each(GoldenChecks checks, string kind, IEnumerable<string> cases, Action<GoldenCase> check)
    {
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            try
            {
                using var golden = new GoldenCase(name);
                check(golden);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                checks.Failed(kind, name, failure);
            }
        }
    }

    private static void Codec(GoldenChecks checks, string kind, string name, Action<SafetensorsFile> check)
    {
        using var scope = torch.NewDisposeScope();
        try
        {
            using var file = CodecGoldenSet.OpenCase(name);
            check(file);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            checks.Failed(kind, name, failure);
        }
    }

    private static void Block(GoldenChecks checks, MovaDenoiser denoiser, GoldenCase golden, torch.Device device)
    {
        var (component, index) = GoldenSet.BlockOf(golden.Name);
        var block = component switch
        {
            "audio_dit" => denoiser.Audio.Blocks[index],
            "video_dit" => denoiser.HighNoise.Blocks[index],
            _ => denoiser.LowNoise.Blocks[index],
        };
        var result = block.Forward(golden["input.x"].to(device), golden["input.context"].to(device), golden["input.t_mod"].to(device), golden.Complex("input.freqs").to(device));
        checks.Relative("block", golden.Name, "output.x", result, golden["output.x"], Single);
    }

    private static void Bridge(GoldenChecks checks, MovaDenoiser denoiser, GoldenCase golden, torch.Device device)
    {
        var layer = golden.Params.GetProperty("layer_idx").GetInt32();
        using var rope = new BridgeRopeTables(
            golden["input.visual_rope_cos"].to(device), golden["input.visual_rope_sin"].to(device),
            golden["input.audio_rope_cos"].to(device), golden["input.audio_rope_sin"].to(device));
        var (video, audio) = denoiser.Bridge.Forward(layer, golden["input.visual"].to(device), golden["input.audio"].to(device), rope);
        checks.Relative("bridge", golden.Name, "output.visual", video, golden["output.visual"], Single);
        checks.Relative("bridge", golden.Name, "output.audio", audio, golden["output.audio"], Single);
    }

    private static void SingleStep(GoldenChecks checks, MovaDenoiser denoiser, GoldenCase golden, torch.Device device)
    {
        var input = golden.SingleStepInput();
        var onDevice = input with { VideoInput = input.VideoInput.to(device), AudioLatents = input.AudioLatents.to(device), Context = input.Context.to(device) };
        using var velocity = denoiser.Predict(GoldenSet.ExpertOf(golden.Name), onDevice);
        checks.Relative("single_step", golden.Name, "output.visual", velocity.Video, golden["output.visual"], Single);
        checks.Relative("single_step", golden.Name, "output.audio", velocity.Audio, golden["output.audio"], Single);
        checks.Relative("single_step", golden.Name, "reference_f64.output.visual", velocity.Video, golden["reference_f64.output.visual"], Single);
        checks.Relative("single_step", golden.Name, "reference_f64.output.audio", velocity.Audio, golden["reference_f64.output.audio"], Single);
    }

    private static void SamplingLoop(GoldenChecks checks, MovaDenoiser denoiser, GoldenCase golden, torch.Device device)
    {
        var (request, options, _) = SamplingLoopCase.Build(golden);
        var onDevice = request with
        {
            VideoNoise = request.VideoNoise.to(device),
            AudioNoise = request.AudioNoise.to(device),
            Condition = request.Condition.to(device),
            PromptEmbeddings = request.PromptEmbeddings.to(device),
            NegativePromptEmbeddings = request.NegativePromptEmbeddings.to(device),
        };
        using var result = MovaSampler.Run(new LocalStepExecutor(denoiser), onDevice, options);
        checks.Relative("loop", golden.Name, "reference_f64.output.video_latents", result.VideoLatents, golden["reference_f64.output.video_latents"], Single);
        checks.Relative("loop", golden.Name, "reference_f64.output.audio_latents", result.AudioLatents, golden["reference_f64.output.audio_latents"], Single);
        checks.Relative("loop", golden.Name, "output.video_latents", result.VideoLatents, golden["output.video_latents"], Loop);
        checks.Relative("loop", golden.Name, "output.audio_latents", result.AudioLatents, golden["output.audio_latents"], Loop);
    }
}
