using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace MovaCluster.Model.Text;

/// <summary>
/// Python's <c>html.unescape</c> (HTML5 rules): named references with or without ';' (longest known prefix),
/// numeric references remapped through the cp1252 table for 0x80-0x9F, invalid code points to U+FFFD or dropped.
/// <see cref="System.Net.WebUtility.HtmlDecode(string)"/> differs on several of these, hence this port of the rules.
/// </summary>
public static partial class PythonHtmlUnescaper
{
    private static readonly Lazy<Dictionary<string, string>> Entities = new(LoadEntities);

    private static readonly Dictionary<int, string> InvalidCharRefs = new()
    {
        [0x00] = "\uFFFD", [0x0D] = "\r", [0x80] = "\u20AC", [0x81] = "\u0081", [0x82] = "\u201A", [0x83] = "\u0192",
        [0x84] = "\u201E", [0x85] = "\u2026", [0x86] = "\u2020", [0x87] = "\u2021", [0x88] = "\u02C6", [0x89] = "\u2030",
        [0x8A] = "\u0160", [0x8B] = "\u2039", [0x8C] = "\u0152", [0x8D] = "\u008D", [0x8E] = "\u017D", [0x8F] = "\u008F",
        [0x90] = "\u0090", [0x91] = "\u2018", [0x92] = "\u2019", [0x93] = "\u201C", [0x94] = "\u201D", [0x95] = "\u2022",
        [0x96] = "\u2013", [0x97] = "\u2014", [0x98] = "\u02DC", [0x99] = "\u2122", [0x9A] = "\u0161", [0x9B] = "\u203A",
        [0x9C] = "\u0153", [0x9D] = "\u009D", [0x9E] = "\u017E", [0x9F] = "\u0178",
    };

    public static string Unescape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('&', StringComparison.Ordinal) ? CharRef().Replace(text, Replace) : text;
    }

    /// <summary>Value of a ';'-terminated (or legacy) named reference such as "amp;", or null if unknown.</summary>
    internal static string? LookupNamed(string name) => Entities.Value.TryGetValue(name, out var v) ? v : null;

    /// <summary>Python's numeric reference rule for a parsed code point.</summary>
    internal static string DecodeNumeric(long number)
    {
        if (number <= int.MaxValue && InvalidCharRefs.TryGetValue((int)number, out var mapped))
        {
            return mapped;
        }

        if (number is >= 0xD800 and <= 0xDFFF || number > 0x10FFFF)
        {
            return "\uFFFD";
        }

        int cp = (int)number;
        bool invalid = cp is >= 0x1 and <= 0x8 or 0xB or >= 0xE and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
            || (cp & 0xFFFE) == 0xFFFE;
        return invalid ? string.Empty : char.ConvertFromUtf32(cp);
    }

    private static string Replace(Match match)
    {
        string s = match.Groups[1].Value;
        if (s[0] == '#')
        {
            bool hex = s.Length > 1 && (s[1] == 'x' || s[1] == 'X');
            string digits = s[(hex ? 2 : 1)..].TrimEnd(';');
            long number = ParseBig(digits, hex);
            return DecodeNumeric(number);
        }

        var entities = Entities.Value;
        if (entities.TryGetValue(s, out var whole))
        {
            return whole;
        }

        for (int x = s.Length - 1; x > 1; x--)
        {
            if (entities.TryGetValue(s[..x], out var prefix))
            {
                return prefix + s[x..];
            }
        }

        return "&" + s;
    }

    private static long ParseBig(string digits, bool hex)
    {
        // Python integers do not overflow; anything beyond the Unicode range behaves the same (U+FFFD).
        long value = 0;
        foreach (char c in digits)
        {
            int d = hex ? int.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) : c - '0';
            value = (value * (hex ? 16 : 10)) + d;
            if (value > 0x10FFFF)
            {
                return 0x110000;
            }
        }

        return value;
    }

    private static Dictionary<string, string> LoadEntities()
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("MovaCluster.Model.Text.Html5Entities.tsv")
            ?? throw new InvalidOperationException("Embedded resource Html5Entities.tsv is missing from MovaCluster.Model.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] parts = line.Split('\t');
            var value = new StringBuilder();
            foreach (string hexCode in parts[1].Split(' '))
            {
                value.Append(char.ConvertFromUtf32(int.Parse(hexCode, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            map[parts[0]] = value.ToString();
        }

        return map;
    }

    [GeneratedRegex(@"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)", RegexOptions.CultureInvariant)]
    private static partial Regex CharRef();
}
