namespace MovaCluster.Model.Text;

/// <summary>Bounds of the prompt-embedding cache (configuration section <c>Mova:TextEmbeddingCache</c>).</summary>
public sealed class TextEmbeddingCacheOptions
{
    public const string SectionName = "Mova:TextEmbeddingCache";

    /// <summary>Most cached prompts, pinned ones included. Default 64.</summary>
    public int MaxEntries { get; set; } = 64;

    /// <summary>Most bytes of cached embeddings (UMT5-XXL at 512 tokens in bf16 is 4 MiB each). Default 512 MiB.</summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Every problem with the values (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxEntries < 1)
        {
            errors.Add($"{nameof(MaxEntries)} must be at least 1 (got {MaxEntries}).");
        }

        if (MaxBytes < 1)
        {
            errors.Add($"{nameof(MaxBytes)} must be positive (got {MaxBytes}).");
        }

        return errors;
    }
}
