using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>
/// Which floating dtype each weight is stored in after loading. Production (SPEC section 7): every weight bf16,
/// except the time embedding and time projection, which compute in fp32 (bf16 values upcast exactly once at load
/// instead of on every call). Tests use <see cref="Float32"/>.
/// </summary>
/// <param name="WeightDType">Dtype of ordinary weights, and the activation dtype of the towers and bridge.</param>
/// <param name="Float32KeyPrefixes">Component-relative key prefixes kept in float32.</param>
public sealed record DTypePolicy(torch.ScalarType WeightDType, IReadOnlyList<string> Float32KeyPrefixes)
{
    /// <summary>Everything float32 (golden tests, CPU debugging).</summary>
    public static DTypePolicy Float32 { get; } = new(torch.ScalarType.Float32, []);

    /// <summary>The official inference dtypes: bf16 weights with fp32 time embedding and projection.</summary>
    public static DTypePolicy BFloat16 { get; } = new(torch.ScalarType.BFloat16, ["time_embedding.", "time_projection."]);

    /// <summary>Dtype for the floating tensor stored under the component-relative <paramref name="key"/>.</summary>
    public torch.ScalarType ForKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var prefix in Float32KeyPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return torch.ScalarType.Float32;
            }
        }

        return WeightDType;
    }
}
