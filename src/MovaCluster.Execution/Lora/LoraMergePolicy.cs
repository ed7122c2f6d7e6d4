namespace MovaCluster.Execution.Lora;

/// <summary>
/// Decides per job whether its set runs merged (folded into the weights) or unmerged: merged once the same set runs
/// <c>mergeAfterJobs</c> jobs in a row, and for as long as it keeps coming; a resumed attempt runs the way its
/// checkpoint was taken, so it continues exactly the computation it interrupted.
/// </summary>
public sealed class LoraMergePolicy(int mergeAfterJobs)
{
    private string? _lastSet;
    private int _run;

    /// <summary>Whether the job with set <paramref name="setKey"/> (empty: no adapter) runs merged.</summary>
    public bool ShouldMerge(string setKey, bool? checkpointMerged)
    {
        ArgumentNullException.ThrowIfNull(setKey);
        if (setKey.Length == 0)
        {
            return false;
        }

        if (checkpointMerged is { } required)
        {
            return required;
        }

        var run = setKey == _lastSet ? _run + 1 : 1;
        return mergeAfterJobs > 0 && run >= mergeAfterJobs;
    }

    /// <summary>Records that a job with <paramref name="setKey"/> ran.</summary>
    public void Ran(string setKey)
    {
        ArgumentNullException.ThrowIfNull(setKey);
        _run = setKey == _lastSet ? _run + 1 : 1;
        _lastSet = setKey;
    }
}
