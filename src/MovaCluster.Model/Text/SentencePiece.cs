namespace MovaCluster.Model.Text;

/// <summary>One vocabulary entry of a SentencePiece model.</summary>
public sealed record SentencePiece(string Piece, float Score, SentencePieceType Type);
