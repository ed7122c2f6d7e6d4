using System.Diagnostics;

namespace MovaCluster.Testing;

/// <summary>
/// A real S3 API for tests: single-node OpenStack Swift with s3api and tempauth on a free loopback port.
/// It verifies SigV2/SigV4 signatures, presigned-URL expiry and payload hashes, unlike in-memory fakes.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    private readonly string _workDir;
    private bool _stopped;

    private S3Server(string workDir, IReadOnlyDictionary<string, string> env)
    {
        _workDir = workDir;
        Endpoint = env["S3_ENDPOINT"];
        Url = new Uri(env["S3_URL"]);
        AccessKey = env["S3_ACCESS_KEY"];
        SecretKey = env["S3_SECRET_KEY"];
        Region = env["S3_REGION"];
    }

    /// <summary>host:port, as the Minio SDK wants it.</summary>
    public string Endpoint { get; }

    public Uri Url { get; }

    public string AccessKey { get; }

    public string SecretKey { get; }

    public string Region { get; }

    public static async Task<S3Server> StartAsync(CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "s3-swift-start.sh");
        var workDir = Directory.CreateTempSubdirectory("mova-s3-").FullName;
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(workDir);
        // Installing packages is the test command's job; a missing server must fail loudly here.
        start.Environment["SWIFT_S3_INSTALL"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run " + script);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The S3 test server (OpenStack Swift + s3api) did not start (exit {process.ExitCode}). " +
                $"Install python3-swift and memcached (the README's test command does).\n{await stderr}\n{await stdout}");
        }

        var env = File.ReadAllLines(Path.Combine(workDir, "env"))
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
        return new S3Server(workDir, env);
    }

    /// <summary>Stops every server process, for tests about an S3 endpoint that goes away.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "s3-swift-stop.sh");
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(_workDir);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run " + script);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
