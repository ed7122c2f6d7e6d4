namespace MovaCluster.Testing;

/// <summary>Finds executables the tests need; a missing one fails the test run with the install hint.</summary>
public static class ExternalTool
{
    public static string Require(string name, string aptPackage)
    {
        return Find(name) ?? throw new InvalidOperationException(
            $"'{name}' was not found on PATH. Install it (apt-get install -y {aptPackage}) or run the README's test command, which installs it.");
    }

    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
