using MovaCluster.Contracts.Loras;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Lora;

namespace MovaCluster.Execution.Lora;

/// <summary>A job's adapters on a whole denoiser held by one device (<see cref="LoraTargets.ForDenoiser"/>).</summary>
public sealed class DenoiserLoraApplier(MovaDenoiser denoiser, LoraExecutionOptions options, LoraResidency? residency, string device)
    : LoraApplier<BoundLoraAdapter>(options, options.DeviceBudgetBytes, residency, device)
{
    private readonly LoraRuntime _runtime = new(LoraTargets.ForDenoiser(denoiser));

    protected override BoundLoraAdapter Bind(JobLora lora, string folder)
    {
        using var adapter = LoraFiles.Read(lora, folder);
        return _runtime.Targets.Bind(adapter);
    }

    protected override long BytesOf(BoundLoraAdapter bound) => bound.Bytes;

    protected override bool InUse(BoundLoraAdapter bound) => bound.InUse;

    protected override void Release(BoundLoraAdapter bound) => bound.Dispose();

    protected override void Merge(IReadOnlyList<(BoundLoraAdapter Bound, double Strength)> set) => _runtime.Merge(SetOf(set));

    protected override void Restore() => _runtime.Restore();

    protected override IDisposable Activate(IReadOnlyList<(BoundLoraAdapter Bound, double Strength)> set) => _runtime.Activate(SetOf(set));

    private static LoraSet SetOf(IReadOnlyList<(BoundLoraAdapter Bound, double Strength)> set) =>
        new(set.Select(entry => new AppliedLora(entry.Bound, entry.Strength)));
}
