namespace MovaCluster.Testing.Configuration;

/// <summary>One configuration key of the reference: its full name, default as text, and what it means.</summary>
public sealed record OptionRow(string Key, string Default, string Meaning);
