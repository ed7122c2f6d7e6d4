namespace MovaCluster.Model.Lora;

/// <summary>
/// An adapter that cannot be read, or does not fit the model it is meant for. <see cref="Key"/> names the offending
/// adapter key or layer when one is to blame.
/// </summary>
public sealed class LoraAdapterException : Exception
{
    public LoraAdapterException()
    {
    }

    public LoraAdapterException(string message)
        : base(message)
    {
    }

    public LoraAdapterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LoraAdapterException(string source, string? key, string problem, Exception? innerException = null)
        : base(Describe(source, key, problem), innerException)
    {
        Adapter = source;
        Key = key;
    }

    /// <summary>The adapter file or folder.</summary>
    public string? Adapter { get; }

    /// <summary>The adapter key or layer name at fault, when there is one.</summary>
    public string? Key { get; }

    private static string Describe(string source, string? key, string problem) =>
        key is null ? $"LoRA adapter {source}: {problem}" : $"LoRA adapter {source}: key '{key}': {problem}";
}
