namespace MovaCluster.Model.Checkpoints;

/// <summary>A checkpoint's keys or shapes do not match the module it is loaded into.</summary>
public sealed class CheckpointMismatchException : Exception
{
    public CheckpointMismatchException(
        string source,
        IReadOnlyList<string> missingKeys,
        IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<string> shapeMismatches)
        : base(BuildMessage(source, missingKeys, unexpectedKeys, shapeMismatches))
    {
        Source = source;
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    public CheckpointMismatchException()
        : this("(unknown)", [], [], [])
    {
    }

    public CheckpointMismatchException(string message)
        : base(message)
    {
        MissingKeys = [];
        UnexpectedKeys = [];
        ShapeMismatches = [];
    }

    public CheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        MissingKeys = [];
        UnexpectedKeys = [];
        ShapeMismatches = [];
    }

    /// <summary>Keys the module needs that the checkpoint lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys the checkpoint has that the module does not.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>"key: checkpoint [..] vs module [..]" for every shape disagreement.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string BuildMessage(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var parts = new List<string> { $"Checkpoint '{source}' does not match the module." };
        if (missing.Count > 0)
        {
            parts.Add($"Missing keys ({missing.Count}): {string.Join(", ", missing)}.");
        }

        if (unexpected.Count > 0)
        {
            parts.Add($"Unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}.");
        }

        if (shapes.Count > 0)
        {
            parts.Add($"Shape mismatches ({shapes.Count}): {string.Join("; ", shapes)}.");
        }

        return string.Join(" ", parts);
    }
}
