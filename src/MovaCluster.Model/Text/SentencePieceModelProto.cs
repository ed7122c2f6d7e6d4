namespace MovaCluster.Model.Text;

/// <summary>
/// The parts of a SentencePiece <c>ModelProto</c> (spiece.model) that Unigram encoding needs.
/// </summary>
public sealed class SentencePieceModelProto
{
    private SentencePieceModelProto(IReadOnlyList<SentencePiece> pieces)
    {
        Pieces = pieces;
    }

    public IReadOnlyList<SentencePiece> Pieces { get; }

    /// <summary>TrainerSpec.model_type: 1 = UNIGRAM.</summary>
    public int ModelType { get; private set; } = 1;

    public bool ByteFallback { get; private set; }

    public bool TreatWhitespaceAsSuffix { get; private set; }

    public int UnknownId { get; private set; }

    public int BosId { get; private set; } = 1;

    public int EosId { get; private set; } = 2;

    public int PadId { get; private set; } = -1;

    public string NormalizerName { get; private set; } = string.Empty;

    public byte[] PrecompiledCharsMap { get; private set; } = [];

    public bool AddDummyPrefix { get; private set; } = true;

    public bool RemoveExtraWhitespaces { get; private set; } = true;

    public bool EscapeWhitespaces { get; private set; } = true;

    public static SentencePieceModelProto Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        }

        return Parse(File.ReadAllBytes(path));
    }

    public static SentencePieceModelProto Parse(ReadOnlySpan<byte> data)
    {
        var pieces = new List<SentencePiece>();
        var model = new SentencePieceModelProto(pieces);
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2:
                    pieces.Add(ParsePiece(reader.ReadLengthDelimited()));
                    break;
                case 2 when wire == 2:
                    model.ParseTrainerSpec(reader.ReadLengthDelimited());
                    break;
                case 3 when wire == 2:
                    model.ParseNormalizerSpec(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (pieces.Count == 0)
        {
            throw new InvalidDataException("SentencePiece model has no pieces (is this a spiece.model file?).");
        }

        return model;
    }

    private static SentencePiece ParsePiece(ReadOnlySpan<byte> data)
    {
        string piece = string.Empty;
        float score = 0f;
        var type = SentencePieceType.Normal;
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2:
                    piece = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                case 2 when wire == 5:
                    score = reader.ReadFixed32Float();
                    break;
                case 3 when wire == 0:
                    type = (SentencePieceType)(int)reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new SentencePiece(piece, score, type);
    }

    private void ParseTrainerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != 0)
            {
                reader.Skip(wire);
                continue;
            }

            long value = (long)reader.ReadVarint();
            switch (field)
            {
                case 3: ModelType = (int)value; break;
                case 24: TreatWhitespaceAsSuffix = value != 0; break;
                case 35: ByteFallback = value != 0; break;
                case 40: UnknownId = (int)value; break;
                case 41: BosId = (int)value; break;
                case 42: EosId = (int)value; break;
                case 43: PadId = (int)value; break;
                default: break;
            }
        }
    }

    private void ParseNormalizerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2:
                    NormalizerName = System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                case 2 when wire == 2:
                    PrecompiledCharsMap = reader.ReadLengthDelimited().ToArray();
                    break;
                case 3 when wire == 0:
                    AddDummyPrefix = reader.ReadVarint() != 0;
                    break;
                case 4 when wire == 0:
                    RemoveExtraWhitespaces = reader.ReadVarint() != 0;
                    break;
                case 5 when wire == 0:
                    EscapeWhitespaces = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }
}
