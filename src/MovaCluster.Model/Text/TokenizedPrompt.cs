namespace MovaCluster.Model.Text;

/// <summary>
/// A prompt as UMT5 input: ids padded to the window (pad id 0), mask 1 on real tokens including <c>&lt;/s&gt;</c>.
/// </summary>
public sealed record TokenizedPrompt(long[] InputIds, long[] AttentionMask, int Length);
