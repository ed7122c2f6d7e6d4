namespace MovaCluster.Grains.Adapters;

/// <summary>
/// Resolves a registration's path reference: absolute, every link followed, and inside one of the configured roots
/// (also resolved), so neither "..", nor a link out of a root, nor a root's sibling with the same prefix gets in.
/// </summary>
internal static class ReferencePaths
{
    /// <summary>The real path of <paramref name="path"/>, or null when it is outside every root.</summary>
    public static string? ResolveUnder(string path, IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
        {
            return null;
        }

        var real = RealPath(path);
        return roots.Select(RealPath).Any(root => IsInside(real, root)) ? real : null;
    }

    private static bool IsInside(string path, string root)
    {
        var folder = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(folder, StringComparison.Ordinal);
    }

    /// <summary>The path with "." and ".." removed and every symbolic link on the way replaced by its final target.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }

        return current;
    }
}
