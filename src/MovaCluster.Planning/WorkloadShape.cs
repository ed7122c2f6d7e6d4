namespace MovaCluster.Planning;

/// <summary>
/// One job's size: resolution, length, steps and guidance, from which token counts and the expert split follow.
/// <see cref="WorkFraction"/> is the share of the uncached denoising work a job does under a step and block cache tier
/// (1 − its skipped fraction; 1 without a cache): it scales the denoising steps' time, not the encoders and decoders.
/// </summary>
public sealed record WorkloadShape(string Name, int Width, int Height, int Frames, double Fps = 24, int Steps = 50, double GuidanceScale = 5.0,
    double Shift = 5.0, double BoundaryRatio = 0.9, int TextTokens = 512, double WorkFraction = 1.0)
{
    /// <summary>Denoising steps in uncached-step equivalents.</summary>
    public double EffectiveSteps => Steps * WorkFraction;

    public static WorkloadShape Mova360p { get; } = new("360p", 640, 352, 193);

    public static WorkloadShape Mova720p { get; } = new("720p", 1280, 720, 193);

    public int LatentFrames => ((Frames - 1) / 4) + 1;

    /// <summary>Video tokens after the VAE (x8 spatial, x4 temporal) and the (1,2,2) patch.</summary>
    public long VideoTokens => (long)LatentFrames * (Height / 16) * (Width / 16);

    /// <summary>Audio latent steps: ceil(int(48000 F / fps) / 960).</summary>
    public long AudioTokens
    {
        get
        {
            var samples = (long)Math.Floor(48000.0 * Frames / Fps);
            return ((samples - 1) / 960) + 1;
        }
    }

    public long PixelFrames => (long)Width * Height * Frames;

    /// <summary>Model passes per step: two with text CFG, one when the guidance scale is 1.</summary>
    public int PassesPerStep => GuidanceScale == 1.0 ? 1 : 2;

    /// <summary>Steps run by the high-noise expert: those whose timestep is at or above boundary_ratio x 1000.</summary>
    public int HighNoiseSteps
    {
        get
        {
            var sigmaMin = 0.003 / 1.002;
            var count = 0;
            for (var k = 0; k < Steps; k++)
            {
                var linear = 1.0 + ((sigmaMin - 1.0) * k / Steps);
                var sigma = Shift * linear / (1 + ((Shift - 1) * linear));
                if (sigma * 1000 >= BoundaryRatio * 1000)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public int LowNoiseSteps => Steps - HighNoiseSteps;
}
