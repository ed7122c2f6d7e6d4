using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Model.Tests.Text;

public sealed class Umt5GoldenTests
{
    private const double Tolerance = 5e-5;

    private static double MaxAbs(torch.Tensor actual, torch.Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (actual.to(torch.float64) - expected.to(torch.float64)).abs().max();
        return diff.item<double>();
    }

    [Fact]
    public void Every_text_encoder_case_matches_last_hidden_state_and_prompt_embeddings()
    {
        var cases = CodecGoldenSet.CasesWith("input.input_ids", "input.attention_mask", "output.last_hidden_state");
        Assert.NotEmpty(cases);
        var config = Umt5Config.Load(CodecGoldenSet.Component("text_encoder"));
        using var model = Umt5EncoderModel.FromFolder(CodecGoldenSet.Component("text_encoder"), torch.CPU);
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            using var file = CodecGoldenSet.OpenCase(name);
            var ids = file.Read("input.input_ids");
            var mask = file.Read("input.attention_mask");
            var blockOutputs = new Dictionary<int, torch.Tensor>();
            var hidden = model.Forward(ids, mask, (i, t) => blockOutputs[i] = t.clone().DetachFromDisposeScope());
            Assert.True(MaxAbs(hidden, file.Read("output.last_hidden_state")) <= Tolerance, $"{name}: last_hidden_state");

            var embeddings = model.EncodePromptEmbeddings(ids, mask);
            Assert.True(MaxAbs(embeddings, file.Read("output.prompt_embeds")) <= Tolerance, $"{name}: prompt_embeds");

            foreach (var (index, output) in blockOutputs)
            {
                string key = $"intermediate.encoder.block.{index}";
                if (file.Contains(key))
                {
                    Assert.True(MaxAbs(output, file.Read(key)) <= Tolerance, $"{name}: {key}");
                    var bias = model.Encoder.Blocks[index].Attention.PositionBias(ids.shape[1]);
                    Assert.True(MaxAbs(bias, file.Read(key + ".position_bias")) <= Tolerance, $"{name}: {key}.position_bias");
                }

                output.Dispose();
            }

            if (file.Contains("intermediate.relative_position_bucket"))
            {
                var expected = file.Read("intermediate.relative_position_bucket");
                var buckets = Umt5RelativePosition.Buckets(
                    expected.shape[0], expected.shape[1], config.RelativeAttentionNumBuckets, config.RelativeAttentionMaxDistance, torch.CPU);
                Assert.True(buckets.eq(expected).all().item<bool>(), $"{name}: relative position buckets");
            }
        }
    }

    [Theory]
    [InlineData(-8, 8)]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    [InlineData(1, 17)]
    [InlineData(8, 24)]
    [InlineData(128, 31)]
    [InlineData(500, 31)]
    [InlineData(-127, 15)]
    public void Bucket_of_relative_distance_follows_t5_rules(int relative, long bucket)
    {
        // Row q = 600, column q + relative: the bucket of (key - query) = relative.
        using var table = Umt5RelativePosition.Buckets(1200, 1200, 32, 128, torch.CPU);

        Assert.Equal(bucket, table[600, 600 + relative].item<long>());
    }
}
