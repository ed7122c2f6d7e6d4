using MovaCluster.Contracts.Workers;

namespace MovaCluster.Api.Models;

/// <summary>A catalog model with the live workers that serve it right now.</summary>
public sealed record ServedModel(string Name, ModelProfile Profile, IReadOnlyList<RegisteredWorker> Workers)
{
    public bool Served => Workers.Count > 0;

    /// <summary>Largest width x height x frames a live worker of this model accepts; 0 when none is live.</summary>
    public long MaxVolume => Workers.Count == 0 ? 0 : Workers.Max(worker => worker.Worker.MaxVolume);

    /// <summary>True when a live worker of this model runs random or no weights (its output is noise).</summary>
    public bool OutputIsNoise => Workers.Any(worker => worker.Worker.OutputIsNoise);
}
