using System.ComponentModel;
using System.Diagnostics;
using FFMpegCore;

namespace MovaCluster.Media;

/// <summary>
/// Whether the ffmpeg and ffprobe this process would run (from <see cref="MediaOptions.FfmpegFolder"/>, else PATH) can
/// be started, and their versions: a silo checks it before it takes jobs and reports it on /health.
/// </summary>
public sealed class FfmpegToolchain(FfmpegBinaries binaries)
{
    /// <summary>Where to get the tools, for messages.</summary>
    public const string InstallHint =
        "Install ffmpeg (it brings ffprobe; Debian/Ubuntu: sudo apt-get install ffmpeg) or set Mova:Media:FfmpegFolder to a folder holding both";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs <c>ffmpeg -version</c> and <c>ffprobe -version</c>; every problem is named in the report.</summary>
    public async Task<FfmpegToolchainReport> CheckAsync(CancellationToken cancellationToken)
    {
        var options = binaries.Create();
        var ffmpeg = await VersionAsync("ffmpeg", GlobalFFOptions.GetFFMpegBinaryPath(options), cancellationToken).ConfigureAwait(false);
        var ffprobe = await VersionAsync("ffprobe", GlobalFFOptions.GetFFProbeBinaryPath(options), cancellationToken).ConfigureAwait(false);
        var problems = new[] { ffmpeg.Problem, ffprobe.Problem }.OfType<string>().ToList();
        return new FfmpegToolchainReport(ffmpeg.Version, ffprobe.Version, problems);
    }

    /// <summary>FFMpegCore runs the tool from the configured folder when it is there, else whatever PATH finds (as here).</summary>
    private static async Task<(string? Version, string? Problem)> VersionAsync(string tool, string binary, CancellationToken cancellationToken)
    {
        var where = Path.IsPathRooted(binary) ? $"'{binary}' (from Mova:Media:FfmpegFolder)" : $"'{tool}' on PATH";
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo(binary, "-hide_banner -version")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            },
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception failure)
        {
            return (null, $"{tool} is missing or cannot be run: {where} does not start ({failure.Message}). {InstallHint}.");
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (null, $"{tool} does not work: {where} did not answer '-version' within {RunTimeout.TotalSeconds:F0} s. {InstallHint}.");
        }

        var text = await output.ConfigureAwait(false);
        var stderr = await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            return (null, $"{tool} does not work: {where} exits with code {process.ExitCode} on '-version' ({stderr.Trim()}). {InstallHint}.");
        }

        // "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." -> "5.1.9-0+deb12u1"
        var words = text.Split((char[])[' ', '\n'], 4, StringSplitOptions.RemoveEmptyEntries);
        return (words.Length >= 3 && words[1] == "version" ? words[2] : "unknown version", null);
    }
}
