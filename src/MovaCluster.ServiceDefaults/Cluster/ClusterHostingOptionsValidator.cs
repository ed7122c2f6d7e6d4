using Microsoft.Extensions.Options;

namespace MovaCluster.ServiceDefaults.Cluster;

public sealed class ClusterHostingOptionsValidator : IValidateOptions<ClusterHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterHostingOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == ClusterMode.Redis && string.IsNullOrWhiteSpace(options.RedisConnectionString))
        {
            failures.Add($"{ClusterHostingOptions.SectionName}:RedisConnectionString is required when {ClusterHostingOptions.SectionName}:Mode is Redis.");
        }

        if (options.KubernetesHosting && options.Mode != ClusterMode.Redis)
        {
            failures.Add($"{ClusterHostingOptions.SectionName}:KubernetesHosting needs {ClusterHostingOptions.SectionName}:Mode Redis (pods of one StatefulSet form a multi-node cluster).");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{ClusterHostingOptions.SectionName}:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{ClusterHostingOptions.SectionName}:ServiceId must not be empty.");
        }

        foreach (var (port, key) in new[] { (options.SiloPort, "SiloPort"), (options.GatewayPort, "GatewayPort") })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"{ClusterHostingOptions.SectionName}:{key} must be a TCP port (1-65535); it is {port}.");
            }
        }

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{ClusterHostingOptions.SectionName}:SiloPort and GatewayPort must differ.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
