using MovaCluster.Contracts.Loras;
using MovaCluster.Execution.Lora;

namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>
/// LoRA on the synthetic device: the real cache, eviction and merge policy over adapters that are only their files'
/// size, with modeled load, merge and restore times, so scheduling can be measured without a model.
/// </summary>
public sealed class SyntheticLoraApplier(SyntheticExecutorOptions synthetic, LoraExecutionOptions options, LoraResidency? residency, string device)
    : LoraApplier<SyntheticLoraApplier.Adapter>(options, options.DeviceBudgetBytes, residency, device)
{
    private List<Adapter> _merged = [];

    protected override Adapter Bind(JobLora lora, string folder)
    {
        Sleep(synthetic.LoraLoadDelay);
        return new Adapter(lora.Digest, LoraFiles.SizeOf(folder));
    }

    protected override long BytesOf(Adapter bound) => bound.Bytes;

    protected override bool InUse(Adapter bound) => bound.Uses > 0;

    protected override void Release(Adapter bound)
    {
        if (bound.Uses > 0)
        {
            throw new InvalidOperationException($"Adapter {bound.Digest} is still in use.");
        }
    }

    protected override void Merge(IReadOnlyList<(Adapter Bound, double Strength)> set)
    {
        Sleep(synthetic.LoraMergeDelay);
        foreach (var (bound, _) in set)
        {
            bound.Uses++;
        }

        _merged = [.. set.Select(entry => entry.Bound)];
    }

    protected override void Restore()
    {
        Sleep(synthetic.LoraRestoreDelay);
        foreach (var bound in _merged)
        {
            bound.Uses--;
        }

        _merged = [];
    }

    protected override IDisposable Activate(IReadOnlyList<(Adapter Bound, double Strength)> set)
    {
        foreach (var (bound, _) in set)
        {
            bound.Uses++;
        }

        return new Activation(set.Select(entry => entry.Bound).ToList());
    }

    private static void Sleep(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }
    }

    /// <summary>A simulated bound adapter: its digest and size.</summary>
    public sealed class Adapter(string digest, long bytes)
    {
        public string Digest { get; } = digest;

        public long Bytes { get; } = bytes;

        internal int Uses { get; set; }
    }

    private sealed class Activation(List<Adapter> adapters) : IDisposable
    {
        public void Dispose()
        {
            adapters.ForEach(adapter => adapter.Uses--);
            adapters.Clear();
        }
    }
}
