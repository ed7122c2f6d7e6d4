using System.Security.Cryptography;
using System.Text.Json;

namespace MovaCluster.Api.Videos;

/// <summary>A hash of everything a create asked for, so a reused Idempotency-Key with a different request is caught (409).</summary>
public static class RequestFingerprint
{
    public static string Of(ValidatedVideoRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generation = request.Generation;
        object?[] fields =
        [
            request.Model, generation.Prompt, generation.NegativePrompt, generation.Width, generation.Height,
            generation.FrameCount, generation.FramesPerSecond, generation.Steps, generation.Seed, generation.GuidanceScale,
            generation.ReferenceImage is { } image ? Convert.ToHexStringLower(SHA256.HashData(image)) : null,
            request.Priority.ToString(), request.WebhookUrl,
            request.Metadata?.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => new[] { entry.Key, entry.Value }),
            generation.Loras.Select(lora => new object[] { lora.Name, lora.Digest, lora.Strength }),
        ];

        // Appended only when set, so the fingerprints of requests without a cache tier stay what they were.
        var canonical = JsonSerializer.SerializeToUtf8Bytes(generation.Cache is { } cache ? [.. fields, cache] : fields);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}
