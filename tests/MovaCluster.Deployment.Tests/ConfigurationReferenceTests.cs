using System.Reflection;
using System.Runtime.Loader;
using MovaCluster.Testing;
using MovaCluster.Testing.Configuration;

namespace MovaCluster.Deployment.Tests;

/// <summary>
/// The README's configuration reference is generated from the options classes (section, keys, defaults, XML summaries):
/// this test regenerates it and fails on any difference, with the lines that differ and the command that rewrites it.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    public const string UpdateVariable = "MOVA_UPDATE_CONFIGURATION_REFERENCE";
    private const string UpdateCommand = $"{UpdateVariable}=1 dotnet test tests/MovaCluster.Deployment.Tests -c Release --filter FullyQualifiedName~ConfigurationReferenceTests";

    [Fact]
    public void The_readme_lists_every_configuration_key_with_its_default()
    {
        var reference = new OptionsReference(HostAssemblies());
        var readmePath = Path.Combine(RepositoryPaths.Root, "README.md");
        var readme = File.ReadAllText(readmePath);
        var expected = reference.ApplyTo(readme);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1" && expected != readme)
        {
            File.WriteAllText(readmePath, expected);
            readme = expected;
        }

        var difference = Diff(readme, expected);
        Assert.True(difference.Length == 0, $"README.md's configuration reference is out of date; update it with:\n  {UpdateCommand}\n{difference}");
    }

    [Fact]
    public void Every_options_class_of_the_hosts_is_a_section_of_the_reference()
    {
        var sections = new OptionsReference(HostAssemblies()).Sections.Select(s => s.Section).ToList();

        foreach (var expected in new[] { "Mova:Cluster", "Mova:Execution", "Mova:Gateway", "Mova:Queue", "Mova:Resilience", "Mova:Silo", "Mova:Storage", "Mova:Worker" })
        {
            Assert.Contains(expected, sections);
        }

        Assert.Equal(sections.Distinct(StringComparer.Ordinal), sections);
    }

    [Fact]
    public void Every_key_says_what_it_means()
    {
        var reference = new OptionsReference(HostAssemblies());

        var undocumented = reference.Sections.SelectMany(s => reference.Rows(s.Section, s.Options)).Where(r => r.Meaning.Length == 0).Select(r => r.Key).ToList();

        Assert.True(undocumented.Count == 0, $"Options properties without an XML <summary>: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void Defaults_are_the_values_a_new_options_object_holds()
    {
        var reference = new OptionsReference(HostAssemblies());
        var cluster = reference.Sections.Single(s => s.Section == "Mova:Cluster");

        var rows = reference.Rows(cluster.Section, cluster.Options).ToDictionary(r => r.Key, r => r.Default);

        Assert.Equal("`Embedded`", rows["Mova:Cluster:Mode"]);
        Assert.Equal("`11111`", rows["Mova:Cluster:SiloPort"]);
        Assert.Equal("none", rows["Mova:Cluster:AdvertisedAddress"]);
    }

    private static List<Assembly> HostAssemblies() => Directory.GetFiles(AppContext.BaseDirectory, "MovaCluster.*.dll")
        .Where(file => !Path.GetFileName(file).Contains(".Tests.", StringComparison.Ordinal) && !Path.GetFileName(file).StartsWith("MovaCluster.Testing", StringComparison.Ordinal))
        .Select(file => AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(Path.GetFileNameWithoutExtension(file))))
        .ToList();

    /// <summary>The lines of the reference that differ, as a short unified listing.</summary>
    private static string Diff(string actual, string expected)
    {
        if (actual == expected)
        {
            return "";
        }

        var have = actual.Split('\n');
        var want = expected.Split('\n');
        var missing = want.Except(have).Take(20).Select(line => "+ " + line);
        var extra = have.Except(want).Take(20).Select(line => "- " + line);
        return string.Join('\n', extra.Concat(missing));
    }
}
