using System.Text.RegularExpressions;

namespace MovaCluster.Contracts.Loras;

/// <summary>
/// Where adapter files live in the object store: a scope's content under its digest
/// (<c>tenants/{tenant}/loras/{digest}/</c> or <c>shared/loras/{digest}/</c>), and uploads in progress under the
/// scope's upload prefix. Only the official file names are used, whatever the client called its files.
/// </summary>
public static partial class LoraObjectKeys
{
    /// <summary>The official weights file (with <see cref="ConfigFile"/> beside it).</summary>
    public const string WeightsFile = "lora_weights.pt";

    /// <summary>The official config file (alpha, target modules); optional.</summary>
    public const string ConfigFile = "lora_config.pt";

    /// <summary>A safetensors adapter (alpha in its metadata).</summary>
    public const string SafetensorsFile = "adapter.safetensors";

    /// <summary>The file names an adapter may consist of.</summary>
    public static IReadOnlyList<string> Files { get; } = [WeightsFile, ConfigFile, SafetensorsFile];

    /// <summary>The prefix of a scope's adapter content with <paramref name="digest"/>.</summary>
    public static string Content(string scope, string digest)
    {
        if (!DigestPattern().IsMatch(digest))
        {
            throw new ArgumentException($"'{digest}' is not a LoRA digest (64 lowercase hex characters).", nameof(digest));
        }

        return $"{ScopePrefix(scope)}loras/{digest}/";
    }

    /// <summary>The prefix of one upload in progress (<paramref name="uploadId"/>: 32 hex characters).</summary>
    public static string Upload(string scope, string uploadId)
    {
        if (!UploadIdPattern().IsMatch(uploadId))
        {
            throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
        }

        return $"{UploadRoot(scope)}{uploadId}/";
    }

    /// <summary>The prefix all of a scope's uploads in progress live under.</summary>
    public static string UploadRoot(string scope) => $"{ScopePrefix(scope)}uploads/loras/";

    /// <summary>True for a well-formed digest.</summary>
    public static bool IsDigest(string? value) => value is not null && DigestPattern().IsMatch(value);

    private static string ScopePrefix(string scope) => LoraScopes.IsShared(scope) ? "shared/" : $"tenants/{LoraScopes.TenantOf(scope)}/";

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex UploadIdPattern();
}
