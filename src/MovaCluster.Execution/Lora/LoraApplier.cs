namespace MovaCluster.Execution.Lora;

/// <summary>
/// The policy half of an <see cref="ILoraApplier"/>, the same for every kind of executor: adapters come from the
/// <see cref="BoundLoraCache{TBound}"/> (bound on a miss), the set is merged or activated as
/// <see cref="LoraMergePolicy"/> decides, a merged set is restored before any other set (or none) runs, and what the
/// device holds is published to <see cref="LoraResidency"/>. Subclasses bind, merge, restore and activate.
/// </summary>
public abstract class LoraApplier<TBound> : ILoraApplier
    where TBound : class
{
    private readonly BoundLoraCache<TBound> _cache;
    private readonly LoraMergePolicy _policy;
    private readonly LoraResidency? _residency;
    private readonly string _device;
    private string _mergedSet = "";

    protected LoraApplier(LoraExecutionOptions options, long budgetBytes, LoraResidency? residency, string device)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(device);
        _cache = new BoundLoraCache<TBound>(budgetBytes, bound => BytesOf(bound), bound => InUse(bound), bound => Release(bound));
        _policy = new LoraMergePolicy(options.MergeAfterJobs);
        _residency = residency;
        _device = device;
    }

    public IReadOnlyList<string> Held => _cache.Held;

    /// <summary>Adapters bound because the device did not hold them.</summary>
    public long Loads => _cache.Loads;

    /// <summary>The set folded into the weights now ("" for none), as <see cref="LoraSetKey"/> writes it.</summary>
    public string MergedSet => _mergedSet;

    public LoraJobScope Begin(GenerationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var loras = job.Request.Loras;
        var key = LoraSetKey.Of(loras);
        if (loras.Count == 0)
        {
            RestoreIfMerged();
            _policy.Ran(key);
            Publish();
            return LoraJobScope.None;
        }

        var merge = _policy.ShouldMerge(key, job.ResumeFrom?.LoraMerged);
        var set = loras.Select(lora => (Bound: _cache.GetOrBind(lora.Digest, () => Bind(lora, FolderOf(job, lora.Digest, lora.Name))), lora.Strength)).ToList();
        IDisposable? activation = null;
        try
        {
            if (merge)
            {
                if (_mergedSet != key)
                {
                    RestoreIfMerged();
                    Merge(set);
                    _mergedSet = key;
                }
            }
            else
            {
                RestoreIfMerged();
                activation = Activate(set);
            }
        }
        finally
        {
            _cache.Trim(new HashSet<string>(loras.Select(l => l.Digest), StringComparer.Ordinal));
            Publish();
        }

        _policy.Ran(key);
        return new LoraJobScope(merge, loras.Count, activation);
    }

    public void Dispose()
    {
        RestoreIfMerged();
        _cache.Dispose();
        _residency?.Publish(_device, []);
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads the adapter from its local folder (checking its digest) and binds it to the layers.</summary>
    protected abstract TBound Bind(Contracts.Loras.JobLora lora, string folder);

    protected abstract long BytesOf(TBound bound);

    /// <summary>True while an activation or a merge uses it: the cache never drops it then.</summary>
    protected abstract bool InUse(TBound bound);

    protected abstract void Release(TBound bound);

    protected abstract void Merge(IReadOnlyList<(TBound Bound, double Strength)> set);

    /// <summary>Puts the base weights back bit for bit.</summary>
    protected abstract void Restore();

    /// <summary>Applies the set unmerged until the returned handle is disposed.</summary>
    protected abstract IDisposable Activate(IReadOnlyList<(TBound Bound, double Strength)> set);

    private static string FolderOf(GenerationJob job, string digest, string name) =>
        job.LoraFolders.TryGetValue(digest, out var folder)
            ? folder
            : throw new InvalidOperationException($"Job {job.JobId}: the files of LoRA adapter '{name}' ({digest}) were not fetched to this worker.");

    private void RestoreIfMerged()
    {
        if (_mergedSet.Length > 0)
        {
            Restore();
            _mergedSet = "";
        }
    }

    private void Publish() => _residency?.Publish(_device, _cache.Held);
}
