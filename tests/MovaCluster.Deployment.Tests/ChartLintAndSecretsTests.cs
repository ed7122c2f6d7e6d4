using System.Text.RegularExpressions;
using MovaCluster.Deployment.Tests.Helm;
using YamlDotNet.RepresentationModel;

namespace MovaCluster.Deployment.Tests;

/// <summary>helm lint with every values file, and the rule that no credential is ever written into a pod spec.</summary>
public sealed partial class ChartLintAndSecretsTests
{
    [Theory]
    [MemberData(nameof(ValuesCase.All), MemberType = typeof(ValuesCase))]
    public async Task Helm_lint_is_clean(string values)
    {
        var lint = await HelmChart.LintAsync(ValuesCase.Files(values));

        Assert.True(lint.Succeeded, lint.ToString());
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", lint.StandardOutput, StringComparison.Ordinal);
        // No [INFO], [WARNING] or [ERROR] finding at all.
        Assert.DoesNotMatch(@"\[(INFO|WARNING|ERROR)\]", lint.StandardOutput + lint.StandardError);
    }

    [Theory]
    [MemberData(nameof(ValuesCase.All), MemberType = typeof(ValuesCase))]
    public async Task Credentials_reach_containers_only_through_secret_references(string values)
    {
        var release = await ValuesCase.RenderAsync(values);

        foreach (var workload in release.Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                foreach (var env in Manifest.Env(container).Where(e => Credential().IsMatch(e.Name)))
                {
                    Assert.True(env.FromSecret && env.Value is null, $"{workload} {container.Text("name")} sets {env.Name} without a secretKeyRef.");
                    if (release.SecretValue(env.SecretName!, env.SecretKey!) is null)
                    {
                        // Not the chart's own Secret: it must be one the values name as existing, never a rendered one missing the key.
                        Assert.DoesNotContain(release.OfKind("Secret"), s => s.Name == env.SecretName);
                    }
                }
            }
        }

        // No value of a rendered Secret appears anywhere else in the release.
        var others = string.Join('\n', release.Manifests.Where(m => m.Kind != "Secret").Select(Serialize));
        foreach (var secret in release.OfKind("Secret"))
        {
            foreach (var key in secret.Root.Map("data").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!))
            {
                var value = release.SecretValue(secret.Name, key)!;
                Assert.True(value.Length < 8 || !others.Contains(value, StringComparison.Ordinal), $"The value of {secret.Name}/{key} is written outside the Secret.");
            }
        }
    }

    private static string Serialize(Manifest manifest)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(manifest.Root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [GeneratedRegex("(?i)(password|secret|api_?key|access_?key|connection_?string|(^|_)token$)")]
    private static partial Regex Credential();
}
