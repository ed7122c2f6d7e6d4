namespace MovaCluster.Model.Text;

/// <summary>
/// MOVA's <c>prompt_clean</c>: ftfy repairs (the <see cref="FtfySubset"/>), <c>html.unescape</c> twice, strip,
/// collapse whitespace runs to one space, strip, all with Python's whitespace rules.
/// </summary>
public sealed class PromptCleaner
{
    public PromptCleaner(bool applyFtfyRepairs = true)
    {
        ApplyFtfyRepairs = applyFtfyRepairs;
    }

    /// <summary>Whether the <see cref="FtfySubset"/> runs first (MOVA runs ftfy; the goldens' "cleaned" text does not).</summary>
    public bool ApplyFtfyRepairs { get; }

    public string Clean(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        string text = ApplyFtfyRepairs ? FtfySubset.Fix(prompt) : prompt;
        text = PythonHtmlUnescaper.Unescape(PythonHtmlUnescaper.Unescape(text));
        text = PythonWhitespace.Strip(text);
        return PythonWhitespace.Strip(PythonWhitespace.CollapseRuns(text));
    }
}
