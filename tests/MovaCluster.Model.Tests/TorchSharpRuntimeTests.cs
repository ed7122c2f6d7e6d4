using TorchSharp;

namespace MovaCluster.Model.Tests;

public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void Native_library_loads_and_runs_a_matmul_on_cpu()
    {
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = torch.ones(3, 2);
        using var c = torch.matmul(a, b);

        Assert.Equal(new[] { 3f, 3f, 12f, 12f }, c.data<float>().ToArray());
    }

    [Fact]
    public void Seeded_generator_reproduces_pytorch_cpu_values()
    {
        using var generator = new torch.Generator(42);
        // PyTorch fills tensors of 16 or more elements through its vectorized Box-Muller path.
        using var sample = torch.randn(new long[] { 16 }, generator: generator);

        Assert.Equal(1.9269153f, sample[0].item<float>(), 6);
    }
}
