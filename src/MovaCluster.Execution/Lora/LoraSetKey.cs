using System.Globalization;
using MovaCluster.Contracts.Loras;

namespace MovaCluster.Execution.Lora;

/// <summary>A job's adapter set as one string: digests and strengths in order (two jobs with equal keys compute the same).</summary>
public static class LoraSetKey
{
    public static string Of(IReadOnlyList<JobLora> loras)
    {
        ArgumentNullException.ThrowIfNull(loras);
        return string.Join('|', loras.Select(l => l.Digest + "*" + l.Strength.ToString("R", CultureInfo.InvariantCulture)));
    }
}
