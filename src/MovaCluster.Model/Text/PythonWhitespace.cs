using System.Text;

namespace MovaCluster.Model.Text;

/// <summary>
/// Python's notion of whitespace (<c>str.isspace</c>, <c>str.strip()</c>, <c>re</c> <c>\s</c>), which is wider than
/// .NET's <see cref="char.IsWhiteSpace(char)"/>: it includes U+001C..U+001F.
/// </summary>
public static class PythonWhitespace
{
    public static bool IsWhitespace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\u001C' and <= ' ' => true,
        '\u0085' or '\u00A0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int start = 0;
        int end = text.Length;
        while (start < end && IsWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary><c>re.sub(r"\s+", " ", text)</c>.</summary>
    public static string CollapseRuns(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        bool inRun = false;
        foreach (char c in text)
        {
            if (IsWhitespace(c))
            {
                if (!inRun)
                {
                    builder.Append(' ');
                }

                inRun = true;
            }
            else
            {
                builder.Append(c);
                inRun = false;
            }
        }

        return builder.ToString();
    }
}
