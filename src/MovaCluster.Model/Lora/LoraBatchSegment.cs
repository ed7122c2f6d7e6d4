namespace MovaCluster.Model.Lora;

/// <summary>
/// Rows [FirstRow, FirstRow + RowCount) of a batch (dimension 0 of every adapted layer's input) and the set they run
/// with; a null <paramref name="RowCount"/> means to the end of the batch. A mixed batch is a list of disjoint segments.
/// </summary>
public sealed record LoraBatchSegment(int FirstRow, int? RowCount, LoraSet Set)
{
    /// <summary>The whole batch with one set.</summary>
    public static LoraBatchSegment WholeBatch(LoraSet set) => new(0, null, set);
}
