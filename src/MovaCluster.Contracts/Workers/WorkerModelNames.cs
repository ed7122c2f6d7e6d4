namespace MovaCluster.Contracts.Workers;

/// <summary>Model names workers report, and how a job's model is matched to them.</summary>
public static class WorkerModelNames
{
    /// <summary>What workers running the tiny random-weights MOVA report: the name itself says the output is noise.</summary>
    public const string TinyRandomWeights = "mova-tiny (random weights; output is noise)";

    /// <summary>
    /// Whether a worker reporting <paramref name="workerModel"/> serves a job that needs <paramref name="jobModel"/>:
    /// equal ignoring case (checkpoint folders are named MOVA-360p or mova-360p alike); an empty job model takes any.
    /// </summary>
    public static bool Serves(string workerModel, string? jobModel) =>
        string.IsNullOrEmpty(jobModel) || string.Equals(workerModel, jobModel, StringComparison.OrdinalIgnoreCase);
}
