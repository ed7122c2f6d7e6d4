using MovaCluster.Model.Text;

namespace MovaCluster.Model.Tests.Text;

public sealed class FtfySubsetTests
{
    [Theory]
    [InlineData("\u201CHello,\u201D she said \u2014 \u2018it\u2019s fine\u2019.", "\"Hello,\" she said \u2014 'it's fine'.")]
    [InlineData("fish &amp;amp;amp; chips", "fish &amp;amp; chips")]
    [InlineData("<b>&amp;</b>", "<b>&amp;</b>")]
    [InlineData("\uFB01ne \uFB02ower", "fine flower")]
    [InlineData("one\r\ntwo\u2028three", "one\ntwo\nthree")]
    [InlineData("red\u001B[31m text\u001B[0m", "red text")]
    [InlineData("&#x4E2D;&copy 2024", "\u4E2D&copy 2024")]
    public void Implemented_repairs_behave_like_ftfy(string input, string expected)
    {
        Assert.Equal(expected, FtfySubset.Fix(input));
    }

    [Fact]
    public void Mova_cleaning_with_ftfy_decodes_three_entity_levels_when_there_is_no_tag()
    {
        var cleaner = new PromptCleaner(applyFtfyRepairs: true);

        Assert.Equal("fish & chips", cleaner.Clean("fish &amp;amp;amp; chips"));
        Assert.Equal("\"quoted\"", cleaner.Clean("  \u201Cquoted\u201D \u001F"));
    }

    [Theory]
    [InlineData("Tom &amp; Jerry &amp;amp; friends", "Tom & Jerry &amp; friends")]
    [InlineData("&#128; &#150; &#0; &#xD800; &#1114112;", "\u20AC \u2013 \uFFFD \uFFFD \uFFFD")]
    [InlineData("&ampx &notit; &copy;", "&x \u00ACit; \u00A9")]
    [InlineData("&#1; &#x7f;x", " x")]
    [InlineData("&unknown; &", "&unknown; &")]
    public void Python_html_unescape_rules(string input, string expected)
    {
        Assert.Equal(expected, PythonHtmlUnescaper.Unescape(input));
    }
}
