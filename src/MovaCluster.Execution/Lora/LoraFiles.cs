using MovaCluster.Contracts.Loras;
using MovaCluster.Model.Lora;

namespace MovaCluster.Execution.Lora;

/// <summary>Reads a job's adapter from the folder its files were fetched to and checks that it is the content the job names.</summary>
public static class LoraFiles
{
    public static LoraAdapter Read(JobLora lora, string folder)
    {
        ArgumentNullException.ThrowIfNull(lora);
        var adapter = LoraAdapterReader.Read(folder, lora.AlphaOverride);
        if (adapter.Digest != lora.Digest)
        {
            var read = adapter.Digest;
            adapter.Dispose();
            throw new LoraAdapterException(folder, null, $"reads as digest {read}, but the job names '{lora.Name}' with digest {lora.Digest}: the stored files are not the registered content.");
        }

        return adapter;
    }

    /// <summary>Bytes of the files in <paramref name="folder"/>.</summary>
    public static long SizeOf(string folder) => new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length);
}
