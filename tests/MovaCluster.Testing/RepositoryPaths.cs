namespace MovaCluster.Testing;

/// <summary>Locates the repository root and the shared golden sets beside it (as in CI: shared/ next to the clone).</summary>
public static class RepositoryPaths
{
    // Lazy: a program that names its golden sets by environment variable runs outside any checkout (the GPU kit).
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The golden set folder: the environment variable when set, else ../shared/goldens/&lt;set&gt;.</summary>
    public static string Goldens(string set, string environmentVariable)
    {
        var overridden = Environment.GetEnvironmentVariable(environmentVariable);
        var folder = string.IsNullOrWhiteSpace(overridden)
            ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "goldens", set))
            : Path.GetFullPath(overridden);
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
        {
            throw new DirectoryNotFoundException(
                $"Golden set '{set}' not found at {folder} (no manifest.json). Set {environmentVariable} or put shared/ beside the repository.");
        }

        return folder;
    }

    /// <summary>The official MOVA golden set (denoising core, scheduler, bridge, DAC).</summary>
    public static string MovaGoldens => Goldens("mova-tiny", "MOVA_GOLDENS");

    /// <summary>The LoRA golden set (official adapters and single steps with them; names its base set in the manifest).</summary>
    public static string LoraGoldens => Goldens("mova-tiny-lora", "MOVA_LORA_GOLDENS");

    /// <summary>The codec golden set (Wan VAE, UMT5, tokenizer).</summary>
    public static string CodecGoldens => Goldens("codecs-tiny", "MOVA_CODEC_GOLDENS");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MovaCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("MovaCluster.sln not found above " + AppContext.BaseDirectory);
    }
}
