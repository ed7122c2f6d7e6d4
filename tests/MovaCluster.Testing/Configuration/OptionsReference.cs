using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace MovaCluster.Testing.Configuration;

/// <summary>
/// Writes the README's configuration reference from the options classes themselves: every public type with a
/// <c>SectionName</c> constant is a section; its settable properties (and those of the classes they hold, and of the
/// entries of dictionaries of classes) are its keys, with the value a new instance holds as the default and the
/// property's XML summary as the meaning. One Markdown table per section, in section order.
/// </summary>
public sealed class OptionsReference(IEnumerable<Assembly> assemblies)
{
    public const string BeginMarker = "<!-- configuration-reference:begin -->";
    public const string EndMarker = "<!-- configuration-reference:end -->";

    private readonly XmlDocSummaries _docs = new();

    /// <summary>The sections found: name and options type, in section order.</summary>
    public IReadOnlyList<(string Section, Type Options)> Sections { get; } = assemblies
        .SelectMany(assembly => assembly.GetExportedTypes())
        .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(t => t.Field is { IsLiteral: true } && t.Field.GetRawConstantValue() is string && t.Type.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => ((string)t.Field!.GetRawConstantValue()!, t.Type))
        .OrderBy(s => s.Item1, StringComparer.Ordinal)
        .ToList();

    /// <summary>The Markdown between the markers (markers included).</summary>
    public string Markdown()
    {
        var text = new StringBuilder().Append(BeginMarker).Append('\n');
        foreach (var (section, type) in Sections)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"**`{section}`** ({type.Name}, `{type.Assembly.GetName().Name}`): {_docs.Of(type).Replace("SectionName", $"`{section}`", StringComparison.Ordinal)}").Append("\n\n");
            text.Append("| Key | Default | Meaning |\n| --- | --- | --- |\n");
            foreach (var row in Rows(section, type))
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{row.Key}` | {row.Default} | {row.Meaning} |\n");
            }
        }

        return text.Append('\n').Append(EndMarker).ToString();
    }

    /// <summary>The keys of one section.</summary>
    public IEnumerable<OptionRow> Rows(string section, Type type) => Rows(section, type, Activator.CreateInstance(type), depth: 0);

    /// <summary>Replaces the text between the markers in <paramref name="readme"/>; throws when they are missing.</summary>
    public string ApplyTo(string readme)
    {
        ArgumentNullException.ThrowIfNull(readme);
        var begin = readme.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"The README has no configuration reference markers ({BeginMarker} ... {EndMarker}).");
        }

        return readme[..begin] + Markdown() + readme[(end + EndMarker.Length)..];
    }

    private IEnumerable<OptionRow> Rows(string prefix, Type type, object? instance, int depth)
    {
        if (depth > 6)
        {
            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0))
        {
            var key = $"{prefix}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = property.PropertyType;
            var meaning = _docs.Of(property);
            if (IsScalar(propertyType))
            {
                yield return new OptionRow(key, Format(value), meaning);
            }
            else if (DictionaryValueType(propertyType) is { } valueType)
            {
                var keys = value is IDictionary dictionary ? dictionary.Keys.Cast<object>().Select(k => $"`{k}`").ToList() : [];
                yield return new OptionRow($"{key}:<name>", keys.Count == 0 ? "none" : string.Join(", ", keys), meaning);
                if (!IsScalar(valueType))
                {
                    foreach (var row in Rows($"{key}:<name>", valueType, Activator.CreateInstance(valueType), depth + 1))
                    {
                        yield return row;
                    }
                }
            }
            else if (ElementType(propertyType) is { } elementType && IsScalar(elementType))
            {
                var items = value is IEnumerable list ? list.Cast<object?>().Select(Format).ToList() : [];
                yield return new OptionRow($"{key}:<n>", items.Count == 0 ? "none" : string.Join(", ", items), meaning);
            }
            else if (propertyType.IsClass)
            {
                foreach (var row in Rows(key, propertyType, value ?? Activator.CreateInstance(propertyType), depth + 1))
                {
                    yield return row;
                }
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core.IsPrimitive || core.IsEnum || core == typeof(string) || core == typeof(decimal) || core == typeof(TimeSpan) || core == typeof(Uri)
            || core == typeof(DateTimeOffset) || core == typeof(Guid);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var keyType, var valueType]
        && typeof(IDictionary).IsAssignableFrom(type) && keyType == typeof(string) ? valueType : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element] ? element : null;

    /// <summary>A default under the temp folder is written as <c>$TMPDIR/...</c>, so the reference is the same on every machine.</summary>
    private static string WithoutMachinePaths(string text)
    {
        var temp = Path.GetTempPath();
        return text.StartsWith(temp, StringComparison.Ordinal) ? "$TMPDIR/" + text[temp.Length..].Replace('\\', '/') : text;
    }

    private static string Format(object? value) => value switch
    {
        null => "none",
        string { Length: 0 } => "empty",
        string text => $"`{WithoutMachinePaths(text)}`",
        bool flag => flag ? "`true`" : "`false`",
        TimeSpan span => $"`{span.ToString("c", CultureInfo.InvariantCulture)}`",
        IFormattable number => $"`{number.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"`{value}`",
    };
}
