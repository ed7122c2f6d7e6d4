using MovaCluster.Execution.Checkpoints;

namespace MovaCluster.Execution.Tests.Checkpoints;

public sealed class DenoiseCheckpointCodecTests
{
    [Fact]
    public void Round_trip_keeps_step_shapes_and_exact_float_bits()
    {
        var video = new[] { 1.5f, float.Epsilon, -0f, float.NaN, 3.4e38f, -1e-30f };
        var checkpoint = new DenoiseCheckpoint(17, new LatentBuffer([1, 2, 3], video), new LatentBuffer([2], [0.25f, -7f]));

        var copy = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(checkpoint));

        Assert.Equal(17, copy.CompletedSteps);
        Assert.Equal([1L, 2, 3], copy.Video.Shape);
        Assert.Equal(video.Select(BitConverter.SingleToInt32Bits), copy.Video.Values.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal([0.25f, -7f], copy.Audio.Values);
    }

    [Fact]
    public void A_cached_jobs_state_travels_with_the_checkpoint_byte_for_byte()
    {
        var state = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var checkpoint = new DenoiseCheckpoint(5, new LatentBuffer([2], [1f, 2f]), new LatentBuffer([1], [3f])) { CacheState = state };

        var copy = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(checkpoint));
        var uncached = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(checkpoint with { CacheState = null }));

        Assert.Equal(state, copy.CacheState);
        Assert.Equal([1f, 2f], copy.Video.Values);
        Assert.Null(uncached.CacheState);
    }

    [Fact]
    public void Version_1_checkpoints_written_before_the_cache_still_decode()
    {
        var bytes = DenoiseCheckpointCodec.Encode(new DenoiseCheckpoint(3, new LatentBuffer([2], [1f, 2f]), new LatentBuffer([1], [3f])));
        var version1 = bytes[..^4];
        BitConverter.GetBytes(1).CopyTo(version1, 4);

        var copy = DenoiseCheckpointCodec.Decode(version1);

        Assert.Equal(3, copy.CompletedSteps);
        Assert.Equal([1f, 2f], copy.Video.Values);
        Assert.Null(copy.CacheState);
    }

    [Fact]
    public void Truncated_or_foreign_bytes_are_refused()
    {
        var bytes = DenoiseCheckpointCodec.Encode(new DenoiseCheckpoint(1, new LatentBuffer([2], [1f, 2f]), new LatentBuffer([1], [3f])));

        Assert.Throws<InvalidDataException>(() => DenoiseCheckpointCodec.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => DenoiseCheckpointCodec.Decode(new byte[16]));
    }

    [Fact]
    public void A_shape_that_does_not_match_the_values_is_refused_when_encoding()
    {
        var bad = new DenoiseCheckpoint(1, new LatentBuffer([3], [1f, 2f]), new LatentBuffer([1], [3f]));

        Assert.Throws<ArgumentException>(() => DenoiseCheckpointCodec.Encode(bad));
    }
}
