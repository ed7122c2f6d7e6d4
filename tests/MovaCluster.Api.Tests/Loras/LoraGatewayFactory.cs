using MovaCluster.Api.Tests.Infrastructure;

namespace MovaCluster.Api.Tests.Loras;

/// <summary>
/// The embedded host with LoRA imports allowed from a folder of its own (paths; <see cref="ServedAdapterFolder"/>
/// holds the served-model adapter) and from <c>imports/</c> of its clip folder (object keys), and an adapter size
/// limit of 1 MiB.
/// </summary>
public sealed class LoraGatewayFactory : GatewayFactory
{
    public const string ImportPrefix = "imports/";
    public const long MaxAdapterBytes = 1L << 20;

    private readonly string _references = Path.Combine(Path.GetTempPath(), "mova-lora-references", Guid.NewGuid().ToString("N"));

    public LoraGatewayFactory()
    {
        Directory.CreateDirectory(ServedAdapterFolder);
        File.WriteAllBytes(Path.Combine(ServedAdapterFolder, "lora.safetensors"), LoraFiles.ServedSafetensors());
        With("Mova:Lora:ReferenceRoots:0", _references);
        With("Mova:Lora:ObjectKeyPrefixes:0", ImportPrefix);
        With("Mova:Gateway:Loras:MaxAdapterBytes", MaxAdapterBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A folder under the allowed root holding the served-model adapter as safetensors.</summary>
    public string ServedAdapterFolder => Path.Combine(_references, "served");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_references))
        {
            Directory.Delete(_references, recursive: true);
        }
    }
}
