namespace MovaCluster.Model.Lora;

/// <summary>
/// The adapters one job runs with, applied in order (y = W x + b + Σ (B A x)·scaling, added one after the other), all
/// bound to the same <see cref="LoraTargets"/>. Two sets are equal when they name the same bound adapters with the
/// same strengths in the same order.
/// </summary>
public sealed class LoraSet : IEquatable<LoraSet>
{
    public LoraSet(IEnumerable<AppliedLora> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        foreach (var entry in Entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            ArgumentNullException.ThrowIfNull(entry.Adapter, nameof(entries));
            if (!double.IsFinite(entry.Strength))
            {
                throw new ArgumentOutOfRangeException(nameof(entries), entry.Strength, $"The strength of {entry.Adapter.Source} must be a finite number.");
            }

            if (!ReferenceEquals(entry.Adapter.Targets, Entries[0].Adapter.Targets))
            {
                throw new ArgumentException("All adapters of a set must be bound to the same layers.", nameof(entries));
            }
        }
    }

    public LoraSet(params AppliedLora[] entries)
        : this((IEnumerable<AppliedLora>)entries)
    {
    }

    /// <summary>No adapter: the base model.</summary>
    public static LoraSet None { get; } = new([]);

    public IReadOnlyList<AppliedLora> Entries { get; }

    public bool IsEmpty => Entries.Count == 0;

    public bool Equals(LoraSet? other) =>
        other is not null
        && other.Entries.Count == Entries.Count
        && Entries.Zip(other.Entries).All(p => ReferenceEquals(p.First.Adapter, p.Second.Adapter) && p.First.Strength.Equals(p.Second.Strength));

    public override bool Equals(object? obj) => Equals(obj as LoraSet);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var entry in Entries)
        {
            hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(entry.Adapter));
            hash.Add(entry.Strength);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        IsEmpty ? "(no LoRA)" : string.Join(" + ", Entries.Select(e => $"{e.Adapter.Source}×{e.Strength}"));
}
