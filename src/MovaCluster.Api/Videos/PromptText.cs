using System.Globalization;
using System.Text;

namespace MovaCluster.Api.Videos;

/// <summary>
/// What a prompt may hold: Unicode text without control characters other than tab and line breaks (a NUL or an
/// escape sequence means nothing to the tokenizer and is a sign of garbage), and, to be worth generating from, at least
/// one visible character: a letter, mark, digit, punctuation or symbol. Spaces and zero-width or other format
/// characters alone are not a prompt.
/// </summary>
public static class PromptText
{
    /// <summary>A description of the first character a prompt cannot hold (e.g. "U+0000"), or null when all are fine.</summary>
    public static string? FirstForbidden(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return $"an unpaired surrogate (U+{(int)text[index]:X4})";
            }

            if (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r'))
            {
                return $"the control character U+{rune.Value:X4}";
            }

            index += used;
        }

        return null;
    }

    public static bool HasVisibleText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned:
                    continue;
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark:
                    // A combining mark alone (e.g. U+034F, the combining grapheme joiner) shows nothing either.
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }
}
