namespace MovaCluster.Model.Text;

/// <summary>Where the tokenizer takes its byte-fallback behaviour from.</summary>
public enum ByteFallbackMode
{
    /// <summary>tokenizer.json's <c>model.byte_fallback</c> when the file exists (what T5TokenizerFast does), else spiece.model's trainer spec.</summary>
    FromTokenizerFiles,

    /// <summary>Unknown characters become <c>&lt;0xNN&gt;</c> byte pieces.</summary>
    Enabled,

    /// <summary>Each run of unknown characters becomes one <c>&lt;unk&gt;</c>.</summary>
    Disabled,
}
