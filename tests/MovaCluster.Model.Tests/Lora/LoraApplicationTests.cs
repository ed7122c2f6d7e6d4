using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Lora;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>
/// Applying adapters on a model of another width, depth and rank than the goldens: the official formula per layer
/// (float32 and bfloat16), strengths, several adapters in order, mixed batches, merge/restore bit for bit, layer
/// ranges and the activation rules.
/// </summary>
public sealed class LoraApplicationTests : IDisposable
{
    private static readonly RandomDenoiser.Shape ModelShape = new(VideoDim: 40, VideoHeads: 2, VideoLayers: 4, AudioDim: 20, AudioLayers: 3, BridgeHeadDim: 20);
    private readonly List<IDisposable> _owned = [];

    [Theory]
    [InlineData(torch.ScalarType.Float32, torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.BFloat16, torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.BFloat16, torch.ScalarType.BFloat16)]
    public void Each_layer_adds_the_official_term_bit_for_bit(torch.ScalarType weights, torch.ScalarType adapterType)
    {
        var (denoiser, targets, runtime) = Model(weights == torch.ScalarType.BFloat16 ? DTypePolicy.BFloat16 : DTypePolicy.Float32);
        var bound = Bind(targets, rank: 8, adapterType, seed: 5, alpha: 12.0);
        var first = Bind(targets, rank: 3, torch.ScalarType.Float32, seed: 6, alpha: 16.0);
        var linear = targets.Layers["video_dit.blocks.1.ffn.0"];
        using var x = torch.randn([2, 7, linear.InFeatures]).to(weights);
        using var baseline = linear.forward(x);

        using (runtime.Activate(new LoraSet(new AppliedLora(bound, 0.75))))
        using (var actual = linear.forward(x))
        using (var expected = Official(baseline, x, bound, linear, 12.0 / 8 * 0.75))
        {
            TensorAssert.Equal(actual, expected, "one adapter at strength 0.75");
        }

        using (runtime.Activate(new LoraSet(new AppliedLora(first), new AppliedLora(bound, 2.0))))
        using (var actual = linear.forward(x))
        using (var afterFirst = Official(baseline, x, first, linear, 16.0 / 3))
        using (var expected = Official(afterFirst, x, bound, linear, 12.0 / 8 * 2.0))
        {
            TensorAssert.Equal(actual, expected, "two adapters in order");
        }

        using var after = linear.forward(x);
        TensorAssert.Equal(after, baseline, "after the activation ends");
        _ = denoiser;
    }

    [Fact]
    public void Rows_of_a_mixed_batch_get_their_own_sets()
    {
        var (denoiser, targets, runtime) = Model(DTypePolicy.Float32);
        var one = Bind(targets, rank: 4, torch.ScalarType.Float32, seed: 7, alpha: 16.0);
        var two = Bind(targets, rank: 6, torch.ScalarType.Float32, seed: 8, alpha: 8.0);
        var sets = new[] { new LoraSet(new AppliedLora(one)), LoraSet.None, new LoraSet(new AppliedLora(two, 0.5), new AppliedLora(one, -1.0)) };
        var block = denoiser.HighNoise.Blocks[2];
        var dim = denoiser.HighNoise.Config.Dim;
        using var generator = new torch.Generator(9);
        using var x = torch.randn([3, 12, dim], generator: generator);
        using var context = torch.randn([3, 5, dim], generator: generator);
        using var tMod = torch.randn([3, 6, dim], generator: generator).mul_(0.1);
        var freqs = denoiser.HighNoise.RopeFor((3, 2, 2));

        using var activation = runtime.Activate([new LoraBatchSegment(0, 1, sets[0]), new LoraBatchSegment(1, 1, sets[1]), new LoraBatchSegment(2, null, sets[2])]);
        using var mixed = block.Forward(x, context, tMod, freqs);
        activation.Dispose();
        for (var row = 0; row < 3; row++)
        {
            using var single = runtime.Activate(sets[row]);
            using var alone = block.Forward(x.narrow(0, row, 1), context.narrow(0, row, 1), tMod.narrow(0, row, 1), freqs);
            TensorAssert.Close(mixed.narrow(0, row, 1), alone, 1e-6, $"row {row}");
        }

        using var plain = block.Forward(x, context, tMod, freqs);
        Assert.False(plain.narrow(0, 0, 1).allclose(mixed.narrow(0, 0, 1)), "the adapter must change row 0");
        TensorAssert.Close(mixed.narrow(0, 1, 1), plain.narrow(0, 1, 1), 1e-6, "row 1 runs without an adapter");
    }

    [Theory]
    [InlineData(torch.ScalarType.Float32, torch.ScalarType.Float32, 1e-5)]
    [InlineData(torch.ScalarType.BFloat16, torch.ScalarType.Float32, 3e-2)]
    [InlineData(torch.ScalarType.BFloat16, torch.ScalarType.BFloat16, 3e-2)]
    public void Merging_matches_unmerged_and_restore_gives_back_every_weight_bit_for_bit(torch.ScalarType weights, torch.ScalarType adapterType, double tolerance)
    {
        var (denoiser, targets, runtime) = Model(weights == torch.ScalarType.BFloat16 ? DTypePolicy.BFloat16 : DTypePolicy.Float32);
        var one = Bind(targets, rank: 8, adapterType, seed: 10, alpha: 16.0);
        var two = Bind(targets, rank: 2, adapterType, seed: 11, alpha: 4.0);
        var set = new LoraSet(new AppliedLora(one, 0.8), new AppliedLora(two, 1.5));
        var input = RandomDenoiser.Input(denoiser, 2, 4, 4, 9, seed: 12);
        _owned.AddRange([input.VideoInput, input.AudioLatents, input.Context]);
        var before = Snapshot(denoiser);
        using var baseline = denoiser.Predict(VideoExpert.LowNoise, input);
        Velocity unmerged;
        using (runtime.Activate(set))
        {
            unmerged = denoiser.Predict(VideoExpert.LowNoise, input);
        }

        using (unmerged)
        {
            runtime.Merge(set);
            Assert.True(runtime.BackupBytes > 0);
            using (var merged = denoiser.Predict(VideoExpert.LowNoise, input))
            {
                TensorAssert.Close(merged.Video, unmerged.Video, tolerance, "merged vs unmerged video");
                TensorAssert.Close(merged.Audio, unmerged.Audio, tolerance, "merged vs unmerged audio");
                Assert.False(merged.Video.allclose(baseline.Video), "the merged set must change the output");
            }

            var other = new LoraSet(new AppliedLora(two));
            runtime.Merge(other);
            Assert.Same(other, runtime.Merged);
            runtime.Restore();
        }

        Assert.Null(runtime.Merged);
        var after = Snapshot(denoiser);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, p => Assert.True(p.Value.AsSpan().SequenceEqual(after[p.Key]), $"{p.Key} differs after restore"));
        using var restored = denoiser.Predict(VideoExpert.LowNoise, input);
        TensorAssert.Equal(restored.Video, baseline.Video, "video after restore");
    }

    [Theory]
    [InlineData(torch.ScalarType.Float32, torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.BFloat16, torch.ScalarType.BFloat16)]
    [InlineData(torch.ScalarType.BFloat16, torch.ScalarType.Float32)]
    public void A_merged_layer_holds_exactly_W_plus_BA_times_scaling_in_the_weight_dtype(torch.ScalarType weights, torch.ScalarType adapterType)
    {
        var (_, targets, runtime) = Model(weights == torch.ScalarType.BFloat16 ? DTypePolicy.BFloat16 : DTypePolicy.Float32);
        var bound = Bind(targets, rank: 5, adapterType, seed: 13, alpha: 10.0);
        var linear = targets.Layers["dual_tower_bridge.video_to_audio_conditioners.1.inner.v"];
        var layer = bound.Layers[linear];
        using var original = linear.Weight.clone();
        using var delta = layer.B.matmul(layer.A) * (10.0 / 5 * 0.3);
        using var sum = original + delta;
        using var expected = sum.to(weights);
        runtime.Merge(new LoraSet(new AppliedLora(bound, 0.3)));
        TensorAssert.Equal(linear.Weight, expected, "merged weight");
        runtime.Restore();
        TensorAssert.Equal(linear.Weight, original, "restored weight");
    }

    [Fact]
    public void The_step_executor_applies_the_set_to_every_pass_like_a_merged_model()
    {
        var (denoiser, targets, runtime) = Model(DTypePolicy.Float32);
        var set = new LoraSet(new AppliedLora(Bind(targets, rank: 4, torch.ScalarType.Float32, seed: 14, alpha: 16.0), 0.9));
        using var generator = new torch.Generator(15);
        using var videoNoise = torch.randn([1, 16, 2, 4, 4], generator: generator);
        using var condition = torch.randn([1, 20, 2, 4, 4], generator: generator);
        using var audioNoise = torch.randn([1, 8, 9], generator: generator);
        using var prompt = torch.randn([1, 6, denoiser.HighNoise.Config.TextDim], generator: generator);
        using var negative = torch.randn([1, 6, denoiser.HighNoise.Config.TextDim], generator: generator);
        var request = new SamplingRequest(videoNoise, audioNoise, condition, prompt, negative, 24.0);
        var options = new SamplerOptions { NumInferenceSteps = 3, CfgScale = 4.0 };

        using var unmerged = MovaSampler.Run(new LoraStepExecutor(new LocalStepExecutor(denoiser), runtime, set), request, options);
        using var plain = MovaSampler.Run(new LocalStepExecutor(denoiser), request, options);
        runtime.Merge(set);
        try
        {
            using var merged = MovaSampler.Run(new LocalStepExecutor(denoiser), request, options);
            TensorAssert.Close(unmerged.VideoLatents, merged.VideoLatents, 1e-5, "video latents");
            TensorAssert.Close(unmerged.AudioLatents, merged.AudioLatents, 1e-5, "audio latents");
            Assert.False(unmerged.VideoLatents.allclose(plain.VideoLatents));
        }
        finally
        {
            runtime.Restore();
        }
    }

    [Fact]
    public void A_layer_range_binds_only_its_own_layers()
    {
        var (denoiser, targets, _) = Model(DTypePolicy.Float32);
        using var adapter = Adapter(targets, rank: 4, torch.ScalarType.Float32, seed: 16, alpha: 16.0);
        var range = LoraTargets.ForModule(denoiser.HighNoise.Blocks[3], local => "video_dit.blocks.3." + local);
        Assert.Equal(targets.Layers.Keys.Where(k => k.StartsWith("video_dit.blocks.3.", StringComparison.Ordinal)).Order(), range.Layers.Keys.Order());
        Assert.Throws<LoraAdapterException>(() => range.Bind(adapter));
        using var part = range.BindPart(adapter);
        Assert.Equal(range.Layers.Count, part.LayerCount);
        Assert.All(part.LayerNames, n => Assert.StartsWith("video_dit.blocks.3.", n, StringComparison.Ordinal));

        var rangeRuntime = new LoraRuntime(range);
        var wholeRuntime = new LoraRuntime(targets);
        using var whole = targets.Bind(adapter);
        var input = RandomDenoiser.Input(denoiser, 2, 4, 4, 9, seed: 17);
        _owned.AddRange([input.VideoInput, input.AudioLatents, input.Context]);
        using var prepared = denoiser.Prepare(VideoExpert.HighNoise, input);
        using var upToThree = denoiser.RunLayers(prepared, 0, 3);
        using var viaRange = RunLayer(rangeRuntime, new LoraSet(new AppliedLora(part)), denoiser, prepared, upToThree);
        using var onlyBlockThree = RunLayer(wholeRuntime, new LoraSet(new AppliedLora(whole)), denoiser, prepared, upToThree);
        TensorAssert.Equal(viaRange.Video, onlyBlockThree.Video, "block 3 through its own range");
    }

    [Fact]
    public void Activations_follow_the_rules_of_one_owner()
    {
        var (denoiser, targets, runtime) = Model(DTypePolicy.Float32);
        var bound = Bind(targets, rank: 2, torch.ScalarType.Float32, seed: 18, alpha: 16.0);
        var set = new LoraSet(new AppliedLora(bound));
        var (otherDenoiser, otherTargets, _) = Model(DTypePolicy.Float32);
        var foreign = Bind(otherTargets, rank: 2, torch.ScalarType.Float32, seed: 18, alpha: 16.0);

        using (runtime.Activate(set))
        {
            Assert.Throws<InvalidOperationException>(() => runtime.Activate(set));
            Assert.Throws<InvalidOperationException>(() => runtime.Merge(set));
            Assert.Throws<InvalidOperationException>(() => bound.Dispose());
        }

        Assert.Throws<ArgumentException>(() => runtime.Activate(new LoraSet(new AppliedLora(foreign))));
        Assert.Throws<ArgumentException>(() => new LoraSet(new AppliedLora(bound), new AppliedLora(foreign)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoraSet(new AppliedLora(bound, double.NaN)));
        Assert.Throws<ArgumentException>(() => runtime.Activate([new LoraBatchSegment(0, 2, set), new LoraBatchSegment(1, 1, LoraSet.None)]));

        using (runtime.Activate([new LoraBatchSegment(1, 4, set)]))
        {
            var input = RandomDenoiser.Input(denoiser, 2, 4, 4, 9, seed: 19);
            _owned.AddRange([input.VideoInput, input.AudioLatents, input.Context]);
            Assert.Throws<InvalidOperationException>(() => denoiser.Predict(VideoExpert.HighNoise, input));
        }

        runtime.Merge(set);
        using (runtime.Activate(set))
        {
        }

        Assert.Throws<InvalidOperationException>(() => runtime.Activate(LoraSet.None));
        runtime.Restore();
        using (runtime.Activate(LoraSet.None))
        {
        }

        bound.Dispose();
        Assert.Throws<ObjectDisposedException>(() => runtime.Activate(set));
        _ = otherDenoiser;
    }

    [Fact]
    public void Adapters_bindings_and_backups_outlive_the_callers_dispose_scopes()
    {
        var (_, targets, runtime) = Model(DTypePolicy.Float32);
        LoraAdapter adapter;
        BoundLoraAdapter bound;
        var linear = targets.Layers["audio_dit.blocks.2.self_attn.o"];
        using var original = linear.Weight.clone();
        using (torch.NewDisposeScope())
        {
            adapter = Adapter(targets, rank: 2, torch.ScalarType.Float32, seed: 20, alpha: 16.0);
            bound = targets.Bind(adapter);
            runtime.Merge(new LoraSet(new AppliedLora(bound)));
        }

        using (adapter)
        {
            Assert.All(adapter.Layers.Values, l => Assert.False(l.A.IsInvalid));
            runtime.Restore();
            TensorAssert.Equal(linear.Weight, original, "restored after the scope ended");
            using var x = torch.randn([1, 3, linear.InFeatures]);
            using (runtime.Activate(new LoraSet(new AppliedLora(bound))))
            using (var y = linear.forward(x))
            {
                Assert.True(y.isfinite().all().item<bool>());
            }

            bound.Dispose();
        }
    }

    [Fact]
    public void Two_runtimes_never_activate_the_same_layers_at_once()
    {
        var (denoiser, targets, runtime) = Model(DTypePolicy.Float32);
        var other = new LoraRuntime(LoraTargets.ForDenoiser(denoiser));
        var bound = Bind(targets, rank: 2, torch.ScalarType.Float32, seed: 21, alpha: 16.0);
        using var adapter = Adapter(targets, rank: 2, torch.ScalarType.Float32, seed: 21, alpha: 16.0);
        var otherBound = other.Targets.Bind(adapter);
        _owned.Add(otherBound);
        using (runtime.Activate(new LoraSet(new AppliedLora(bound))))
        {
            Assert.Throws<InvalidOperationException>(() => other.Activate(new LoraSet(new AppliedLora(otherBound))));
        }

        using (other.Activate(new LoraSet(new AppliedLora(otherBound))))
        {
        }
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    // The official LoRALinear.forward, spelled out: x cast to the adapter's dtype, B(A x), cast back, times the scaling, added.
    private static torch.Tensor Official(torch.Tensor result, torch.Tensor x, BoundLoraAdapter adapter, Linear linear, double scaling)
    {
        var layer = adapter.Layers[linear];
        using var scope = torch.NewDisposeScope();
        var source = x.dtype == layer.A.dtype ? x : x.to(layer.A.dtype);
        var term = torch.nn.functional.linear(torch.nn.functional.linear(source, layer.A), layer.B).to(x.dtype).to(result.dtype);
        return (result + term * scaling).MoveToOuterDisposeScope();
    }

    private static DualTowerActivations RunLayer(LoraRuntime runtime, LoraSet set, MovaDenoiser denoiser, PreparedStep prepared, DualTowerActivations input)
    {
        using var activation = runtime.Activate(set);
        return denoiser.RunLayers(prepared, input, 3, 4);
    }

    private static Dictionary<string, byte[]> Snapshot(MovaDenoiser denoiser)
    {
        var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (component, module) in new (string, torch.nn.Module)[] { ("high", denoiser.HighNoise), ("low", denoiser.LowNoise), ("audio", denoiser.Audio), ("bridge", denoiser.Bridge) })
        {
            foreach (var (name, tensor) in module.state_dict())
            {
                bytes[component + "." + name] = tensor.contiguous().bytes.ToArray();
            }
        }

        return bytes;
    }

    private (MovaDenoiser Denoiser, LoraTargets Targets, LoraRuntime Runtime) Model(DTypePolicy policy)
    {
        var denoiser = RandomDenoiser.Create(ModelShape, seed: 1, policy);
        _owned.Add(denoiser);
        var targets = LoraTargets.ForDenoiser(denoiser);
        var runtime = new LoraRuntime(targets);
        _owned.Add(new Restorer(runtime));
        return (denoiser, targets, runtime);
    }

    private LoraAdapter Adapter(LoraTargets targets, int rank, torch.ScalarType dtype, long seed, double alpha)
    {
        var tensors = AdapterFiles.RandomTensors(targets.Catalog, rank, dtype, seed);
        try
        {
            return LoraAdapter.FromStateDict(tensors, alpha, $"random-r{rank}-{seed}");
        }
        finally
        {
            AdapterFiles.DisposeAll(tensors);
        }
    }

    private BoundLoraAdapter Bind(LoraTargets targets, int rank, torch.ScalarType dtype, long seed, double alpha)
    {
        using var adapter = Adapter(targets, rank, dtype, seed, alpha);
        var bound = targets.Bind(adapter);
        _owned.Add(new DisposeWhenFree(bound));
        return bound;
    }

    private sealed class Restorer(LoraRuntime runtime) : IDisposable
    {
        public void Dispose() => runtime.Restore();
    }

    private sealed class DisposeWhenFree(BoundLoraAdapter adapter) : IDisposable
    {
        public void Dispose()
        {
            if (!adapter.InUse)
            {
                adapter.Dispose();
            }
        }
    }
}
