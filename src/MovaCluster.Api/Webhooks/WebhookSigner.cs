using System.Security.Cryptography;
using System.Text;

namespace MovaCluster.Api.Webhooks;

/// <summary>
/// Signs deliveries the Standard Webhooks way (which OpenAI's webhooks follow): HMAC-SHA256 with the tenant's secret
/// over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as <c>webhook-signature: v1,{base64}</c>. The timestamp
/// inside the signed text lets receivers refuse replays.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(string secret, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
