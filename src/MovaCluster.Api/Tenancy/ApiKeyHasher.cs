using System.Security.Cryptography;
using System.Text;

namespace MovaCluster.Api.Tenancy;

/// <summary>Keys are stored only as their SHA-256; the plain key exists in the caller's hands alone.</summary>
public static class ApiKeyHasher
{
    public static string Hash(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
    }

    /// <summary>A new random key, shown once when it is issued.</summary>
    public static string NewKey() => "mova_sk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
