namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>
/// The values files the chart is tested with: the defaults, 8 GPUs per node with a pipeline plan, external Redis and
/// S3 from existing Secrets, KEDA (with the gateway's HPA, an Ingress and a ServiceMonitor), an in-chart trial on
/// cpu, and the local podman profile of <see cref="ClusterInContainersTests"/>.
/// </summary>
public static class ValuesCase
{
    /// <summary>What the local profile needs on top of its file (the test gives real ports and keys).</summary>
    public const string LocalProfileOverrides = """
        s3:
          endpoint: 127.0.0.1:9000
          accessKey: test:tester
          secretKey: testing
        auth:
          operatorApiKey:
            value: local-operator-key
        """;

    public static TheoryData<string> All => new() { "defaults", "gpu8-pipeline", "external-services", "keda", "trial", "local-podman" };

    public static IReadOnlyList<string> Files(string name) => name switch
    {
        "defaults" => [],
        "local-podman" => HelmChart.Values([name], LocalProfileOverrides),
        _ => HelmChart.Values([name]),
    };

    public static Task<RenderedRelease> RenderAsync(string name) => HelmChart.TemplateAsync(Files(name));
}
