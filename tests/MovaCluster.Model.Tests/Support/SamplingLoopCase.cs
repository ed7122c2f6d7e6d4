using MovaCluster.Model.Sampling;

namespace MovaCluster.Model.Tests.Support;

/// <summary>A sampling-loop golden case as the sampler's input: noise, image condition, prompt embeddings and options.</summary>
public static class SamplingLoopCase
{
    public static (SamplingRequest Request, SamplerOptions Options, (double[] Mean, double[] Std) Statistics) Build(GoldenCase golden)
    {
        var p = golden.Params;
        var geometry = p.GetProperty("geometry");
        var vae = p.GetProperty("video_vae_config_used");
        var mean = vae.GetProperty("latents_mean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var std = vae.GetProperty("latents_std").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var scheduler = GoldenSet.SchedulerConfig;
        var options = new SamplerOptions
        {
            NumInferenceSteps = p.GetProperty("num_inference_steps").GetInt32(),
            CfgScale = p.GetProperty("cfg_scale").GetDouble(),
            BoundaryRatio = p.GetProperty("boundary_ratio").GetDouble(),
            Scheduler = scheduler,
        };
        var request = new SamplingRequest(
            golden["input.video_noise"],
            golden["input.audio_noise"],
            ImageCondition.Build(golden["input.video_vae_latent_raw"], mean, std),
            golden["input.prompt_embeds"],
            golden["input.negative_prompt_embeds"],
            geometry.GetProperty("video_fps").GetDouble());
        return (request, options, (mean, std));
    }
}
