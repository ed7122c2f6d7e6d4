using System.Collections;
using System.IO.Compression;
using TorchSharp;
using TorchSharp.PyBridge;

namespace MovaCluster.Model.Lora;

/// <summary>
/// Reads <c>torch.save</c> zip archives through TorchSharp.PyBridge (Razorvine.Pickle underneath). Unpickling here
/// builds only tensors and plain values; unknown Python classes become inert dictionaries and no code runs, so a
/// tenant's file cannot execute anything.
/// </summary>
internal static class PyTorchPickleFile
{
    /// <summary>
    /// The top-level dictionary of the archive (tensors on the CPU, other values as .NET primitives and lists), after
    /// checking that neither the file nor its unpacked entries exceed <paramref name="maxBytes"/>.
    /// </summary>
    public static Hashtable ReadDictionary(string path, long maxBytes)
    {
        CheckSize(path, maxBytes);
        try
        {
            using var stream = File.OpenRead(path);
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new LoraAdapterException(path, null, $"is not a readable torch.save archive holding a dict ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }

    /// <summary>The archive's tensors by key; a key that is not a string or a value that is not a tensor is an error.</summary>
    public static Dictionary<string, torch.Tensor> ReadTensors(string path, long maxBytes)
    {
        var table = ReadDictionary(path, maxBytes);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        string? problem = null;
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key)
            {
                problem ??= $"has a key of type {entry.Key.GetType().Name} ({entry.Key}); an adapter's keys are strings.";
            }
            else if (entry.Value is torch.Tensor tensor)
            {
                tensors[key] = tensor;
            }
            else
            {
                problem ??= $"key '{key}' holds a {entry.Value?.GetType().Name ?? "None"}, not a tensor.";
            }
        }

        if (problem is not null)
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw new LoraAdapterException(path, null, problem);
        }

        return tensors;
    }

    private static void CheckSize(string path, long maxBytes)
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
        {
            throw new LoraAdapterException(path, null, $"is {length} bytes, more than the limit of {maxBytes}.");
        }

        long unpacked;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            unpacked = archive.Entries.Sum(e => e.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new LoraAdapterException(path, null, $"is not a readable torch.save archive holding a dict (not a zip archive: {ex.Message}).", ex);
        }

        if (unpacked > maxBytes)
        {
            throw new LoraAdapterException(path, null, $"unpacks to {unpacked} bytes, more than the limit of {maxBytes}.");
        }
    }
}
