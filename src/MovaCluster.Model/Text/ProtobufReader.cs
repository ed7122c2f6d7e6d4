namespace MovaCluster.Model.Text;

/// <summary>
/// The few protobuf wire-format reads that a SentencePiece model file needs (varints, fixed32, length-delimited).
/// </summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position >= _data.Length;

    public (int Field, int WireType) ReadTag()
    {
        ulong tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new InvalidDataException("Truncated varint in SentencePiece model.");
            }

            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("Malformed varint in SentencePiece model.");
    }

    public float ReadFixed32Float()
    {
        if (_position + 4 > _data.Length)
        {
            throw new InvalidDataException("Truncated fixed32 in SentencePiece model.");
        }

        float value = BitConverter.ToSingle(_data.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new InvalidDataException("Truncated length-delimited field in SentencePiece model.");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _position += 8;
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                _position += 4;
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {wireType} in SentencePiece model.");
        }

        if (_position > _data.Length)
        {
            throw new InvalidDataException("Truncated field in SentencePiece model.");
        }
    }
}
