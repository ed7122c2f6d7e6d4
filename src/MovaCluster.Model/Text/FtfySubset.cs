using System.Text;
using System.Text.RegularExpressions;

namespace MovaCluster.Model.Text;

/// <summary>
/// The subset of <c>ftfy.fix_text</c> (default settings) that MOVA's prompt cleaning relies on and that can be
/// reproduced without ftfy's statistical mojibake detector:
/// <list type="bullet">
/// <item>unescape_html="auto": when the text has no '&lt;', ';'-terminated HTML entities are decoded once;</item>
/// <item>remove_terminal_escapes: ANSI "ESC [ ... letter" sequences are removed;</item>
/// <item>fix_latin_ligatures: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ Ĳ ĳ are spelled out;</item>
/// <item>uncurl_quotes: U+2018..U+201B and U+02BC become ', U+201C..U+201F become ";</item>
/// <item>fix_line_breaks: CR LF, CR, U+2028, U+2029 and U+0085 become LF.</item>
/// </list>
/// Not reproduced: fix_encoding / decode_inconsistent_utf8 / restore_byte_a0 / replace_lossy_sequences (mojibake
/// repair, e.g. "CafÃ©" stays as is), fix_c1_controls, remove_control_chars, fix_surrogates and the final NFC step.
/// Width forms, ligatures, control characters and composition are also handled by the tokenizer's nmt_nfkc map, so
/// of these only mojibake repair changes token ids.
/// </summary>
public static partial class FtfySubset
{
    public static string Fix(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string result = text;
        if (!result.Contains('<', StringComparison.Ordinal))
        {
            result = EntityPattern().Replace(result, DecodeEntity);
        }

        result = TerminalEscape().Replace(result, string.Empty);
        result = FixLigatures(result);
        result = UncurlQuotes(result);
        result = result.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n').Replace('\u0085', '\n');
        return result;
    }

    private static string DecodeEntity(Match match)
    {
        string entity = match.Value;
        if (entity.StartsWith("&#", StringComparison.Ordinal))
        {
            string decoded = PythonHtmlUnescaper.Unescape(entity);
            return decoded.Contains(';', StringComparison.Ordinal) ? entity : decoded;
        }

        return PythonHtmlUnescaper.LookupNamed(entity[1..]) ?? entity;
    }

    private static string FixLigatures(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '\uFB00' => "ff",
                '\uFB01' => "fi",
                '\uFB02' => "fl",
                '\uFB03' => "ffi",
                '\uFB04' => "ffl",
                '\uFB05' => "\u017Ft",
                '\uFB06' => "st",
                '\u0132' => "IJ",
                '\u0133' => "ij",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static string UncurlQuotes(string text)
    {
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '\u02BC' or (>= '\u2018' and <= '\u201B') => '\'',
                >= '\u201C' and <= '\u201F' => '"',
                _ => chars[i],
            };
        }

        return new string(chars);
    }

    [GeneratedRegex("&#?[0-9A-Za-z]{1,24};", RegexOptions.CultureInvariant)]
    private static partial Regex EntityPattern();

    [GeneratedRegex("\u001B\\[((?:\\d|;)*)([a-zA-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex TerminalEscape();
}
