using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using MovaCluster.Deployment.Tests.Helm;
using Orleans.Configuration;

namespace MovaCluster.Deployment.Tests;

/// <summary>
/// Every Mova setting the chart renders into a silo or gateway container binds to a property of the options class of
/// its section (found by its SectionName), with a value of the property's type: a misspelt key or a bad value fails
/// here instead of being ignored by a running cluster.
/// </summary>
public sealed class ChartSettingsBindingTests
{
    private static readonly IReadOnlyDictionary<string, Type> Sections = FindSections();

    [Theory]
    [MemberData(nameof(ValuesCase.All), MemberType = typeof(ValuesCase))]
    public async Task Every_mova_setting_of_the_hosts_binds_to_an_options_property(string values)
    {
        var release = await ValuesCase.RenderAsync(values);
        var containers = new[] { (Workload: release.Single("StatefulSet"), Name: "silo"), (Workload: release.Single("Deployment", "mova-mova-cluster-gateway"), Name: "gateway") };

        foreach (var (workload, name) in containers)
        {
            var settings = Manifest.Env(workload.Container(name))
                .Where(e => e.Name.StartsWith("Mova__", StringComparison.Ordinal))
                .ToDictionary(e => e.Name.Replace("__", ":", StringComparison.Ordinal), e => e.FromSecret ? "from-a-secret" : e.Value, StringComparer.OrdinalIgnoreCase);
            Assert.NotEmpty(settings);
            foreach (var section in settings.Keys.GroupBy(SectionOf))
            {
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(section.Select(key => KeyValuePair.Create(key, settings[key]))).Build();
                var type = Sections[section.Key];
                try
                {
                    Assert.NotNull(configuration.GetSection(section.Key).Get(type, binder => binder.ErrorOnUnknownConfiguration = true));
                }
                catch (InvalidOperationException failure)
                {
                    Assert.Fail($"{workload} ({values}): {string.Join(", ", section)} do not bind to {type.Name}: {failure.Message}");
                }
            }
        }
    }

    /// <summary>The longest registered section a key lies in; a key outside every section fails.</summary>
    private static string SectionOf(string key) =>
        Sections.Keys.Where(section => key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(section => section.Length)
        ?? throw new InvalidOperationException($"The chart sets {key}, which no options class binds.");

    private static Dictionary<string, Type> FindSections()
    {
        var sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [OrleansHostingExtensions.MembershipSection] = typeof(ClusterMembershipOptions),
        };
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "MovaCluster.*.dll").Where(f => !f.Contains(".Tests.", StringComparison.Ordinal)))
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(Path.GetFileNameWithoutExtension(file)));
            foreach (var type in assembly.GetExportedTypes())
            {
                if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section)
                {
                    sections[section] = type;
                }
            }
        }

        return sections;
    }
}
