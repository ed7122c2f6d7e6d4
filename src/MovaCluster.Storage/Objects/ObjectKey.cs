using System.Text.RegularExpressions;

namespace MovaCluster.Storage.Objects;

/// <summary>
/// Checks object keys and prefixes: '/'-separated segments of 1-200 characters from a-z, A-Z, 0-9, '-', '_' and
/// '.', none of them "." or "..", no leading '/'. On local disk a key is a relative path under the root, so these
/// rules are what keeps every key inside it.
/// </summary>
public static partial class ObjectKey
{
    public const int MaxLength = 1024;

    /// <summary>Returns <paramref name="key"/> when it is a valid object key, else throws <see cref="ArgumentException"/>.</summary>
    public static string Check(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a valid object key: '/'-separated segments of a-z, A-Z, 0-9, '-', '_', '.' (not '.' or '..').", nameof(key));
        }

        return key;
    }

    /// <summary>Returns <paramref name="prefix"/> when it is a valid key followed by '/', else throws.</summary>
    public static string CheckPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.EndsWith('/') || !IsValid(prefix[..^1]))
        {
            throw new ArgumentException($"'{prefix}' is not a valid object prefix (a valid key followed by '/').", nameof(prefix));
        }

        return prefix;
    }

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength }
        && key.Split('/').All(segment => SegmentPattern().IsMatch(segment) && segment is not ("." or ".."));

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,200}$")]
    private static partial Regex SegmentPattern();
}
