using System.Diagnostics;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Sglang;

/// <summary>
/// MOVA's own workflow client, <c>workflow/sglang_client.py</c>, exactly as the official repository has it: the file
/// named by <c>MOVA_WORKFLOW_CLIENT</c>, else read from the OpenMOSS/MOVA git mirror (<c>.mirror/OpenMOSS+MOVA/repo</c>
/// in a folder above the repository, or the mirror named by <c>MOVA_MIRROR</c>). It is never copied into this repository.
/// </summary>
public static class OfficialSglangClient
{
    public const string MirrorPath = "workflow/sglang_client.py";

    /// <summary>Writes the client into <paramref name="folder"/> as sglang_client.py and says where it came from.</summary>
    public static async Task<string> WriteToAsync(string folder)
    {
        var target = Path.Combine(folder, "sglang_client.py");
        if (Environment.GetEnvironmentVariable("MOVA_WORKFLOW_CLIENT") is { Length: > 0 } file)
        {
            File.Copy(file, target, overwrite: true);
            return file;
        }

        var mirror = Environment.GetEnvironmentVariable("MOVA_MIRROR") is { Length: > 0 } named ? named : FindMirror()
            ?? throw new FileNotFoundException(
                $"MOVA's workflow client was not found: set MOVA_WORKFLOW_CLIENT to a copy of {MirrorPath} from github.com/OpenMOSS/MOVA, "
                + "or MOVA_MIRROR to a git mirror of that repository (looked for .mirror/OpenMOSS+MOVA/repo above the repository).");
        var start = new ProcessStartInfo("git", ["-C", mirror, "show", $"HEAD:{MirrorPath}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start)!;
        var source = await git.StandardOutput.ReadToEndAsync();
        var errors = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        if (git.ExitCode != 0 || source.Length == 0)
        {
            throw new InvalidOperationException($"git show HEAD:{MirrorPath} in {mirror} failed ({git.ExitCode}): {errors}");
        }

        await File.WriteAllTextAsync(target, source);
        return $"{mirror}@HEAD:{MirrorPath}";
    }

    private static string? FindMirror()
    {
        for (var dir = new DirectoryInfo(RepositoryPaths.Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".mirror", "OpenMOSS+MOVA", "repo");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
