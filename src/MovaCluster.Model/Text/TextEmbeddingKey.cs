using System.Security.Cryptography;
using System.Text;

namespace MovaCluster.Model.Text;

/// <summary>
/// Content hash of what determines a prompt embedding: encoder identity, maximum sequence length and prompt text
/// (SHA-256 over length-prefixed UTF-8 fields, so no two different triples share a key).
/// </summary>
public readonly record struct TextEmbeddingKey(string Hex)
{
    public static TextEmbeddingKey For(string encoderIdentity, int maxLength, string prompt)
    {
        ArgumentNullException.ThrowIfNull(encoderIdentity);
        ArgumentNullException.ThrowIfNull(prompt);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, encoderIdentity);
        Append(hash, maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, prompt);
        return new TextEmbeddingKey(Convert.ToHexString(hash.GetHashAndReset()));
    }

    private static void Append(IncrementalHash hash, string field)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(field);
        hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
        hash.AppendData(bytes);
    }
}
