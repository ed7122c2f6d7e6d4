using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Execution.Mova;
using MovaCluster.Model.Lora;
using MovaCluster.Model.Tiny;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Loras;

/// <summary>
/// The golden set's official adapters, cut to the layers of the model the embedded host serves (the tiny
/// random-weights MOVA, whose configuration may differ from the golden set's), and variants made wrong on purpose.
/// </summary>
public static class LoraFiles
{
    private static readonly Lazy<IReadOnlySet<string>> ServedLayers = new(() =>
        new HashSet<string>(LoraLayerCatalog.FromCheckpoint(TinyMovaCheckpoint.EnsureWritten(new MovaExecutorOptions().TinyModelCache)).Layers.Keys, StringComparer.Ordinal));

    /// <summary>The golden adapter's layers that the served model does not have (in name order).</summary>
    public static IReadOnlyList<string> GoldenLayersNotServed()
    {
        var (header, _) = Read(Safetensors);
        return [.. header.Select(entry => LayerOf(entry.Key)).OfType<string>().Distinct().Where(layer => !ServedLayers.Value.Contains(layer)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The golden safetensors adapter with only the layers the served model has.</summary>
    public static byte[] ServedSafetensors()
    {
        var (header, data) = Read(Safetensors);
        var kept = new JsonObject();
        using var packed = new MemoryStream();
        foreach (var (key, value) in header)
        {
            if (LayerOf(key) is { } layer && !ServedLayers.Value.Contains(layer))
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

    private static string? LayerOf(string key) =>
        key.EndsWith(".lora_A.weight", StringComparison.Ordinal) || key.EndsWith(".lora_B.weight", StringComparison.Ordinal) ? key[..^".lora_A.weight".Length] : null;

    public static string Folder(string format) => Path.Combine(RepositoryPaths.LoraGoldens, "adapters", format);

    public static string Safetensors => Path.Combine(Folder("safetensors"), "lora.safetensors");

    /// <summary>A multipart upload of files from disk (field name "file" each, under their own file names).</summary>
    public static MultipartFormDataContent Upload(string name, params string[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        foreach (var file in files)
        {
            form.Add(new ByteArrayContent(File.ReadAllBytes(file)), "file", Path.GetFileName(file));
        }

        return form;
    }

    /// <summary>A multipart upload of bytes as one .safetensors file.</summary>
    public static MultipartFormDataContent Upload(string name, byte[] safetensors, string fileName = "adapter.safetensors")
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        form.Add(new ByteArrayContent(safetensors), "file", fileName);
        return form;
    }

    /// <summary>The served safetensors adapter with the tensors of its first layer renamed from <paramref name="layer"/>'s.</summary>
    public static (byte[] Bytes, string Key) WithLayerRenamed(string layer)
    {
        var (header, data) = Read(ServedSafetensors());
        var first = header.Select(entry => entry.Key).First(key => key.EndsWith(".lora_A.weight", StringComparison.Ordinal));
        var from = first[..^".lora_A.weight".Length];
        var renamed = new JsonObject();
        foreach (var (key, value) in header)
        {
            renamed[key.StartsWith(from + ".", StringComparison.Ordinal) ? layer + key[from.Length..] : key] = value!.DeepClone();
        }

        return (Write(renamed, data), layer + ".lora_A.weight");
    }

    /// <summary>The served safetensors adapter with one extra zero-filled tensor pair of <paramref name="bytes"/> bytes (to exceed a size limit).</summary>
    public static byte[] Padded(int bytes)
    {
        var (header, data) = Read(ServedSafetensors());
        var padded = new byte[data.Length + bytes];
        data.CopyTo(padded, 0);
        header["padding"] = new JsonObject { ["dtype"] = "U8", ["shape"] = new JsonArray(bytes), ["data_offsets"] = new JsonArray(data.Length, data.Length + bytes) };
        return Write(header, padded);
    }

    private static (JsonObject Header, byte[] Data) Read(string path) => Read(File.ReadAllBytes(path));

    private static (JsonObject Header, byte[] Data) Read(byte[] bytes)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        return (header, bytes[(8 + length)..]);
    }

    private static byte[] Write(JsonObject header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        var output = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)json.Length);
        json.CopyTo(output, 8);
        data.CopyTo(output, 8 + json.Length);
        return output;
    }
}
