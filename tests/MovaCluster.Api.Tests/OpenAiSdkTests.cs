using System.Diagnostics;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests;

/// <summary>
/// The official <c>openai</c> npm package (load-tests/node_modules, installed by <c>npm ci</c> in load-tests/) drives
/// create, retrieve, list, download and delete against the gateway on a real loopback port, without changes.
/// </summary>
public sealed class OpenAiSdkTests : IDisposable
{
    private readonly GatewayFactory _factory = new();

    [Fact]
    public async Task The_official_openai_node_sdk_creates_retrieves_lists_downloads_and_deletes()
    {
        var port = FreePort.Next();
        _factory.UseKestrel(port);
        _factory.StartServer();
        var loadTests = Path.Combine(RepositoryPaths.Root, "load-tests");
        Assert.True(File.Exists(Path.Combine(loadTests, "node_modules", "openai", "package.json")),
            $"The openai npm package is not installed: run 'npm ci' in {loadTests}.");

        var start = new ProcessStartInfo("node", "openai-sdk-check.mjs")
        {
            WorkingDirectory = loadTests,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MOVA_BASE_URL"] = $"http://127.0.0.1:{port}";
        start.Environment["MOVA_API_KEY"] = GatewayFactory.DevKey;
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"openai SDK check failed ({node.ExitCode}):\n{await output}\n{await errors}");

        var summary = JsonDocument.Parse((await output).Trim()).RootElement;
        Assert.Equal("completed", summary.GetProperty("status").GetString());
        Assert.Equal("video_not_found", summary.GetProperty("not_found_code").GetString());
        Assert.True(summary.GetProperty("downloaded_bytes").GetInt64() > 0);
    }

    public void Dispose() => _factory.Dispose();
}
