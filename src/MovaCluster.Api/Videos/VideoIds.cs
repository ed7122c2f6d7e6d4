using System.Security.Cryptography;
using System.Text;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Video ids (also the job grain keys). With an Idempotency-Key the id is derived from tenant and key, so retries
/// of one create, even racing on two gateways, land on the same job grain, whose submit is idempotent per id.
/// </summary>
public static class VideoIds
{
    public const string Prefix = "video_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string FromIdempotencyKey(string tenantId, string idempotencyKey) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{idempotencyKey}")).AsSpan(0, 16));

    /// <summary>Ids the API hands out look like this; anything else is answered 404 without a cluster call.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length == Prefix.Length + 32 && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") == false;
}
