using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// Which video expert each step uses: the high-noise expert until the first step whose timestep is strictly below
/// boundary_ratio · num_train_timesteps (compared in double like the official code), then the low-noise expert
/// for good. Precomputed so a resumed run picks the same experts as an uninterrupted one.
/// </summary>
public static class ExpertSchedule
{
    public static IReadOnlyList<VideoExpert> For(IReadOnlyList<float> timesteps, double boundaryRatio, int numTrainTimesteps)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        var boundary = boundaryRatio * numTrainTimesteps;
        var experts = new VideoExpert[timesteps.Count];
        var switched = false;
        for (var k = 0; k < timesteps.Count; k++)
        {
            switched |= timesteps[k] < boundary;
            experts[k] = switched ? VideoExpert.LowNoise : VideoExpert.HighNoise;
        }

        return experts;
    }
}
