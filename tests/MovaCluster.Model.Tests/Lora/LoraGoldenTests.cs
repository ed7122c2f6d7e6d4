using MovaCluster.Model.Denoising;
using MovaCluster.Model.Lora;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>
/// The official LoRA goldens: every adapter format reads to the same adapter, the official rule picks the injected
/// layers, and single steps without the adapter, unmerged, with a strength, with an alpha override and merged match
/// the official outputs; a merge restores the base weights bit for bit. All expectations come from the manifest.
/// </summary>
public sealed class LoraGoldenTests(LoraGoldenFixture fixture, ITestOutputHelper output) : IClassFixture<LoraGoldenFixture>
{
    // The single-step tolerance of the base goldens (max|err| / max|ref|).
    private const double Tolerance = 1e-5;

    // Merged and unmerged differ only by float32 rounding in a different op order; the manifest gives the official
    // run's own difference, and another BLAS may round a few times differently.
    private const double MergedVersusUnmergedFactor = 8;

    private static readonly Dictionary<LoraAdapterFormat, string> FormatNames = new()
    {
        [LoraAdapterFormat.Peft] = "peft",
        [LoraAdapterFormat.DiffSynth] = "diffsynth",
        [LoraAdapterFormat.Safetensors] = "safetensors",
    };

    private static readonly HashSet<string> CheckedVariants = ["base", "lora", "lora_scale", "lora_alpha_override", "merged"];

    public static IEnumerable<object[]> Cases() => LoraGoldenSet.StepCases.Select(n => new object[] { n });

    [Fact]
    public void Every_format_reads_to_the_same_adapter_as_the_manifest_describes()
    {
        var formats = LoraGoldenSet.Adapter.GetProperty("formats").EnumerateObject().Select(p => p.Name).ToHashSet();
        var rank = LoraGoldenSet.Adapter.GetProperty("rank").GetInt32();
        var alpha = LoraGoldenSet.Adapter.GetProperty("alpha").GetDouble();
        var injected = LoraGoldenSet.InjectedLayers();
        var digests = new HashSet<string>();
        var found = new HashSet<string>();
        foreach (var folder in LoraGoldenSet.AdapterFolders)
        {
            using var adapter = LoraAdapterReader.Read(folder);
            found.Add(FormatNames[adapter.Format]);
            digests.Add(adapter.Digest);
            Assert.Equal(alpha, adapter.Alpha);
            Assert.All(adapter.Layers.Values, l => Assert.Equal(rank, l.Rank));
            Assert.Equal(injected, adapter.Layers.Keys.ToHashSet());
            output.WriteLine($"{folder}: {adapter.Format}, {adapter.Layers.Count} layers, {adapter.Bytes} bytes, digest {adapter.Digest[..16]}");
        }

        Assert.Equal(formats, found);
        Assert.Single(digests);
    }

    [Fact]
    public void The_official_rule_adapts_exactly_the_injected_layers()
    {
        var manifestTargets = LoraGoldenSet.AdapterProperty("target_layer_names").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(manifestTargets, OfficialLoraTargetRule.TargetNames);
        Assert.Equal(LoraGoldenSet.InjectedLayers(), fixture.Targets.Layers.Keys.ToHashSet());
        Assert.NotEmpty(fixture.Targets.Catalog.NotAdapted);
    }

    [Fact]
    public void The_catalog_from_the_configs_equals_the_loaded_model_and_accepts_the_adapters()
    {
        var fromConfigs = LoraLayerCatalog.FromCheckpoint(LoraGoldenSet.BaseRoot);
        Assert.Equal(fixture.Targets.Catalog.Layers, fromConfigs.Layers);
        Assert.Equal(fixture.Targets.Catalog.NotAdapted.Order(), fromConfigs.NotAdapted.Order());
        foreach (var folder in LoraGoldenSet.AdapterFolders)
        {
            using var adapter = LoraAdapterReader.Read(folder);
            fromConfigs.Validate(adapter);
        }
    }

    [Fact]
    public void Every_case_of_the_set_is_a_step_case_these_tests_check()
    {
        Assert.NotEmpty(LoraGoldenSet.StepCases);
        Assert.Equal(LoraGoldenSet.CaseNames.Order(), LoraGoldenSet.StepCases.Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_output_variant_of_the_case_is_checked(string caseName)
    {
        using var golden = new LoraGoldenCase(caseName);
        Assert.NotEmpty(golden.Variants);
        Assert.All(golden.Variants, v => Assert.Contains(v, CheckedVariants));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unmerged_steps_match_the_official_code_for_every_adapter_format(string caseName)
    {
        using var golden = new LoraGoldenCase(caseName);
        var variants = golden.Variants;
        Assert.Contains("base", variants);
        Assert.Contains("lora", variants);
        Compare(golden, "base", LoraSet.None);
        foreach (var folder in LoraGoldenSet.AdapterFolders)
        {
            using var adapter = LoraAdapterReader.Read(folder);
            using var bound = fixture.Targets.Bind(adapter);
            var label = Path.GetFileName(folder);
            Compare(golden, "lora", new LoraSet(new AppliedLora(bound)), label);
            if (variants.Contains("lora_scale"))
            {
                var strength = golden.Params.GetProperty("lora_scale").GetDouble();
                Compare(golden, "lora_scale", new LoraSet(new AppliedLora(bound, strength)), label);
            }

            if (variants.Contains("lora_alpha_override"))
            {
                using var overridden = LoraAdapterReader.Read(folder, golden.Params.GetProperty("alpha_override").GetDouble());
                using var boundOverride = fixture.Targets.Bind(overridden);
                Compare(golden, "lora_alpha_override", new LoraSet(new AppliedLora(boundOverride)), label);
            }
        }

        using var plain = Run(golden, LoraSet.None);
        foreach (var stream in golden.Streams("lora"))
        {
            using var withLora = RunFirstAdapter(golden);
            var change = TensorDifference.MaxAbs(Pick(withLora, stream), Pick(plain, stream));
            if (golden.MaxAbs($"lora_vs_base.{stream}") is { } official)
            {
                Assert.True(Math.Abs(change - official) <= 1e-3 * official, $"{stream}: the adapter changes the output by {change:E4}, officially {official:E4}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_merged_step_matches_the_official_merge_and_restore_gives_back_the_base_weights_bit_for_bit(string caseName)
    {
        using var golden = new LoraGoldenCase(caseName);
        var before = Snapshot();
        using var baseline = Run(golden, LoraSet.None);
        using var adapter = LoraAdapterReader.Read(LoraGoldenSet.AdapterFolders[0]);
        using var bound = fixture.Targets.Bind(adapter);
        var set = new LoraSet(new AppliedLora(bound));
        using var unmerged = Run(golden, set);

        fixture.Runtime.Merge(set);
        Velocity merged;
        try
        {
            Assert.Equal(set, fixture.Runtime.Merged);
            merged = Run(golden, set);
            Assert.Throws<InvalidOperationException>(() => fixture.Runtime.Activate(LoraSet.None));
            Assert.Throws<InvalidOperationException>(() => bound.Dispose());
        }
        finally
        {
            fixture.Runtime.Restore();
        }

        using (merged)
        {
            foreach (var stream in golden.Streams("merged"))
            {
                Report(golden, "merged", stream, Pick(merged, stream));
                var difference = TensorDifference.MaxAbs(Pick(merged, stream), Pick(unmerged, stream));
                var official = golden.MaxAbs($"merged_vs_lora.{stream}");
                output.WriteLine($"{golden.Name} merged vs unmerged {stream}: {difference:E2} (official {official:E2})");
                if (official is { } officialDifference)
                {
                    Assert.True(
                        difference <= MergedVersusUnmergedFactor * officialDifference,
                        $"{stream}: merged and unmerged differ by {difference:E3}; officially {officialDifference:E3}.");
                }
            }
        }

        Assert.Null(fixture.Runtime.Merged);
        Assert.Equal(0, fixture.Runtime.BackupBytes);
        AssertSameBytes(before, Snapshot());
        using var afterwards = Run(golden, LoraSet.None);
        TensorAssert.Equal(afterwards.Video, baseline.Video, "video after restore");
        TensorAssert.Equal(afterwards.Audio, baseline.Audio, "audio after restore");
    }

    private static torch.Tensor Pick(Velocity velocity, string stream) => stream switch
    {
        "visual" => velocity.Video,
        "audio" => velocity.Audio,
        _ => throw new InvalidDataException($"Unknown output stream '{stream}'."),
    };

    private static void AssertSameBytes(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"Parameter {name} differs from the base weights after restore.");
        }
    }

    private Dictionary<string, byte[]> Snapshot()
    {
        var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (component, module) in new (string, torch.nn.Module)[]
        {
            (MovaLoraComponents.HighNoiseVideo, fixture.Denoiser.HighNoise), (MovaLoraComponents.LowNoiseVideo, fixture.Denoiser.LowNoise),
            (MovaLoraComponents.Audio, fixture.Denoiser.Audio), (MovaLoraComponents.Bridge, fixture.Denoiser.Bridge),
        })
        {
            foreach (var (name, tensor) in module.state_dict())
            {
                bytes[component + "." + name] = tensor.contiguous().bytes.ToArray();
            }
        }

        return bytes;
    }

    private Velocity RunFirstAdapter(LoraGoldenCase golden)
    {
        using var adapter = LoraAdapterReader.Read(LoraGoldenSet.AdapterFolders[0]);
        using var bound = fixture.Targets.Bind(adapter);
        return Run(golden, new LoraSet(new AppliedLora(bound)));
    }

    private Velocity Run(LoraGoldenCase golden, LoraSet set)
    {
        using var activation = fixture.Runtime.Activate(set);
        return fixture.Denoiser.Predict(golden.Expert, golden.Input);
    }

    private void Compare(LoraGoldenCase golden, string variant, LoraSet set, string label = "")
    {
        using var velocity = Run(golden, set);
        var streams = golden.Streams(variant);
        Assert.NotEmpty(streams);
        foreach (var stream in streams)
        {
            Report(golden, variant, stream, Pick(velocity, stream), label);
        }
    }

    private void Report(LoraGoldenCase golden, string variant, string stream, torch.Tensor actual, string label = "")
    {
        var error = TensorAssert.Close(actual, golden.Expected(variant, stream), Tolerance, $"{golden.Name}/{variant}.{stream} {label}");
        output.WriteLine($"{golden.Name} {variant}.{stream} {label}: max rel err {error:E2}");
    }
}
