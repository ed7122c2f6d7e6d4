namespace MovaCluster.Model.Text;

/// <summary>Piece types of a SentencePiece model (values as in sentencepiece_model.proto).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}
