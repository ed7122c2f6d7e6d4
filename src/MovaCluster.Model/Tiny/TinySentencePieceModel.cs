using MovaCluster.Model.Text;

namespace MovaCluster.Model.Tiny;

/// <summary>
/// A small SentencePiece Unigram model laid out like UMT5's (pad 0, eos 1, unk 2, byte fallback), with the 256 byte
/// pieces, the printable ASCII characters, their word-initial "▁" forms and a few common English words, so any
/// prompt tokenizes without unknowns. Written as a real spiece.model so the tiny checkpoint loads through the same
/// tokenizer code as a real one.
/// </summary>
public static class TinySentencePieceModel
{
    private const string WordStart = "\u2581";

    private static readonly string[] Words =
    [
        "the", "a", "and", "of", "in", "on", "with", "to", "is", "at", "cat", "dog", "man", "woman", "sea", "city",
        "music", "plays", "says", "sound", "rain", "night", "street", "piano", "voice", "speaks", "walks", "runs",
    ];

    /// <summary>The pieces in id order.</summary>
    public static IReadOnlyList<SentencePiece> Pieces()
    {
        var pieces = new List<SentencePiece>
        {
            new("<pad>", 0f, SentencePieceType.Control),
            new("</s>", 0f, SentencePieceType.Control),
            new("<unk>", 0f, SentencePieceType.Unknown),
        };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add(new SentencePiece($"<0x{b:X2}>", 0f, SentencePieceType.Byte));
        }

        pieces.Add(new SentencePiece(WordStart, -2f, SentencePieceType.Normal));
        foreach (var word in Words)
        {
            pieces.Add(new SentencePiece(WordStart + word, -4f - (0.01f * word.Length), SentencePieceType.Normal));
        }

        for (var c = '!'; c <= '~'; c++)
        {
            pieces.Add(new SentencePiece(c.ToString(), -6f, SentencePieceType.Normal));
            pieces.Add(new SentencePiece(WordStart + c, -6.5f, SentencePieceType.Normal));
        }

        return pieces;
    }

    /// <summary>The spiece.model bytes.</summary>
    public static byte[] Serialize()
    {
        var model = new ProtobufWriter();
        foreach (var piece in Pieces())
        {
            var entry = new ProtobufWriter();
            entry.WriteStringField(1, piece.Piece);
            entry.WriteFloatField(2, piece.Score);
            entry.WriteVarintField(3, (int)piece.Type);
            model.WriteBytesField(1, entry.ToArray());
        }

        var trainer = new ProtobufWriter();
        trainer.WriteVarintField(3, 1);
        trainer.WriteVarintField(35, 1);
        trainer.WriteVarintField(40, 2);
        trainer.WriteVarintField(41, -1);
        trainer.WriteVarintField(42, 1);
        trainer.WriteVarintField(43, 0);
        model.WriteBytesField(2, trainer.ToArray());

        var normalizer = new ProtobufWriter();
        normalizer.WriteStringField(1, "identity");
        normalizer.WriteVarintField(3, 1);
        normalizer.WriteVarintField(4, 1);
        normalizer.WriteVarintField(5, 1);
        model.WriteBytesField(3, normalizer.ToArray());
        return model.ToArray();
    }
}
