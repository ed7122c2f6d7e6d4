using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace MovaCluster.Testing;

/// <summary>
/// Safetensors LoRA adapters edited at the byte level: the golden adapter cut to the layers a model has (the tiny
/// model the hosts serve may be configured differently from the golden set's), layers renamed, padding added.
/// </summary>
public static class LoraSafetensors
{
    /// <summary>The golden set's safetensors adapter.</summary>
    public static string Golden => Path.Combine(RepositoryPaths.LoraGoldens, "adapters", "safetensors", "lora.safetensors");

    /// <summary>The adapted layer a LoRA key belongs to, or null for other entries.</summary>
    public static string? LayerOf(string key) =>
        key.EndsWith(".lora_A.weight", StringComparison.Ordinal) || key.EndsWith(".lora_B.weight", StringComparison.Ordinal) ? key[..^".lora_A.weight".Length] : null;

    /// <summary>The layers of <paramref name="safetensors"/>, in name order.</summary>
    public static IReadOnlyList<string> Layers(byte[] safetensors) =>
        [.. Read(safetensors).Header.Select(entry => LayerOf(entry.Key)).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The adapter with only the layers <paramref name="keep"/> accepts (data repacked).</summary>
    public static byte[] Filter(byte[] safetensors, Func<string, bool> keep)
    {
        var (header, data) = Read(safetensors);
        var kept = new JsonObject();
        using var packed = new MemoryStream();
        foreach (var (key, value) in header)
        {
            if (LayerOf(key) is { } layer && !keep(layer))
            {
                continue;
            }

            var entry = value!.DeepClone().AsObject();
            if (entry["data_offsets"] is JsonArray offsets)
            {
                var (begin, end) = ((int)offsets[0]!, (int)offsets[1]!);
                entry["data_offsets"] = new JsonArray(packed.Length, packed.Length + end - begin);
                packed.Write(data, begin, end - begin);
            }

            kept[key] = entry;
        }

        return Write(kept, packed.ToArray());
    }

    /// <summary>The adapter with the tensors of its first layer moved to <paramref name="layer"/>.</summary>
    public static byte[] RenameFirstLayer(byte[] safetensors, string layer)
    {
        var (header, data) = Read(safetensors);
        var from = Layers(safetensors)[0];
        var renamed = new JsonObject();
        foreach (var (key, value) in header)
        {
            renamed[LayerOf(key) == from ? layer + key[from.Length..] : key] = value!.DeepClone();
        }

        return Write(renamed, data);
    }

    /// <summary>The adapter with an extra byte tensor of <paramref name="bytes"/> bytes.</summary>
    public static byte[] Padded(byte[] safetensors, int bytes)
    {
        var (header, data) = Read(safetensors);
        var padded = new byte[data.Length + bytes];
        data.CopyTo(padded, 0);
        header["padding"] = new JsonObject { ["dtype"] = "U8", ["shape"] = new JsonArray(bytes), ["data_offsets"] = new JsonArray(data.Length, data.Length + bytes) };
        return Write(header, padded);
    }

    private static (JsonObject Header, byte[] Data) Read(byte[] bytes)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        return (header, bytes[(8 + length)..]);
    }

    private static byte[] Write(JsonObject header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var output = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)json.Length);
        json.CopyTo(output, 8);
        data.CopyTo(output, 8 + json.Length);
        return output;
    }
}
