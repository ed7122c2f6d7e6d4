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

    public static string Folder(string format) => Path.Combine(RepositoryPaths.LoraGoldens, "adapters", format);

    /// <summary>The golden adapter's layers that the served model does not have (in name order).</summary>
    public static IReadOnlyList<string> GoldenLayersNotServed() =>
        [.. LoraSafetensors.Layers(File.ReadAllBytes(LoraSafetensors.Golden)).Where(layer => !ServedLayers.Value.Contains(layer))];

    /// <summary>The golden safetensors adapter with only the layers the served model has.</summary>
    public static byte[] ServedSafetensors() => LoraSafetensors.Filter(File.ReadAllBytes(LoraSafetensors.Golden), ServedLayers.Value.Contains);

    /// <summary>The served adapter with its first layer's tensors under <paramref name="layer"/>, and the key that now names no layer.</summary>
    public static (byte[] Bytes, string Key) WithLayerRenamed(string layer) =>
        (LoraSafetensors.RenameFirstLayer(ServedSafetensors(), layer), layer + ".lora_A.weight");

    /// <summary>The served adapter with <paramref name="bytes"/> bytes of padding (to exceed a size limit).</summary>
    public static byte[] Padded(int bytes) => LoraSafetensors.Padded(ServedSafetensors(), bytes);

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
}
