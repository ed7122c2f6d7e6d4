using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MovaCluster.Testing.Configuration;

/// <summary>
/// The &lt;summary&gt; of types and properties from the XML documentation files built next to the assemblies, as one line
/// of Markdown: <c>&lt;c&gt;</c> becomes code, <c>&lt;see cref&gt;</c> the member's short name.
/// </summary>
public sealed partial class XmlDocSummaries
{
    private readonly Dictionary<string, string> _summaries = new(StringComparer.Ordinal);
    private readonly HashSet<Assembly> _loaded = [];

    public string Of(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        Load(property.DeclaringType!.Assembly);
        return _summaries.GetValueOrDefault($"P:{Name(property.DeclaringType)}.{property.Name}", "");
    }

    public string Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Load(type.Assembly);
        return _summaries.GetValueOrDefault($"T:{Name(type)}", "");
    }

    private static string Name(Type type) => type.FullName!.Replace('+', '.');

    private void Load(Assembly assembly)
    {
        if (!_loaded.Add(assembly))
        {
            return;
        }

        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(file))
        {
            return;
        }

        foreach (var member in XDocument.Load(file).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
            {
                _summaries[name] = Markdown(summary);
            }
        }
    }

    private static string Markdown(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            Append(text, node);
        }

        return Whitespace().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    private static void Append(StringBuilder text, XNode node)
    {
        switch (node)
        {
            case XText plain:
                text.Append(plain.Value);
                break;
            case XElement { Name.LocalName: "c" } code:
                text.Append('`').Append(code.Value).Append('`');
                break;
            case XElement { Name.LocalName: "see" or "seealso" } see:
                var target = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Attribute("href")?.Value ?? "";
                var shortName = see.Value.Length > 0 ? see.Value : target[(target.LastIndexOfAny([':', '.']) + 1)..];
                text.Append(see.Attribute("langword") is null ? shortName : $"`{shortName}`");
                break;
            case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                text.Append('`').Append(reference.Attribute("name")?.Value).Append('`');
                break;
            case XElement element:
                foreach (var child in element.Nodes())
                {
                    Append(text, child);
                }

                text.Append(' ');
                break;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
