using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.TestDevices.Synthetic;
using TorchSharp;

namespace MovaCluster.Execution.Tests.DeviceThreads;

/// <summary>libtorch failures on a device thread: what the job reports, and whether the device keeps serving.</summary>
public sealed class DeviceFailureTests
{
    // The shape of libtorch's report of a sticky CUDA error, as TorchSharp passes it on (c10::Error::what()).
    private const string IllegalAddress =
        "CUDA error: an illegal memory access was encountered\n" +
        "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.\n" +
        "For debugging consider passing CUDA_LAUNCH_BLOCKING=1\n" +
        "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n\n" +
        "Exception raised from c10_cuda_check_implementation at /pytorch/c10/cuda/CUDAException.cpp:44 (most recent call first):\n" +
        "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x98 (0x7f0 in libc10.so)\n";

    [Fact]
    public async Task A_real_out_of_memory_failure_becomes_a_clear_device_error_and_the_worker_keeps_serving()
    {
        await using var worker = NewWorker("cpu");

        var failure = await Assert.ThrowsAsync<DeviceExecutionException>(() => worker.RunAsync(_ =>
        {
            using var impossible = torch.empty([1L << 46], torch.ScalarType.Float32, worker.Device.Device);
            return 0;
        }));
        var next = await worker.RunAsync(_ => torch.ones(3).sum().item<float>());

        Assert.Equal(DeviceFailureKind.OutOfMemory, failure.Kind);
        Assert.Equal("cpu", failure.Device);
        Assert.StartsWith("cpu ran out of memory: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("281474976710656 bytes", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.IsType<ExternalException>(failure.InnerException);
        Assert.Equal(3f, next);
        Assert.Null(worker.Unusable);
    }

    [Fact]
    public async Task A_sticky_cuda_error_fails_the_job_and_every_later_command_with_the_same_clear_message()
    {
        await using var worker = NewWorker("cpu");

        var first = await Assert.ThrowsAsync<DeviceExecutionException>(() => worker.RunAsync<int>(_ => throw new ExternalException(IllegalAddress)));
        var later = await Assert.ThrowsAsync<DeviceExecutionException>(() => worker.RunAsync(_ => 1));

        Assert.Equal(DeviceFailureKind.DeviceUnusable, first.Kind);
        Assert.Equal(
            "cpu hit a CUDA error that leaves the device unusable in this process: CUDA error: an illegal memory access was encountered. " +
            "The worker refuses further work on cpu; restart the silo to recover it.",
            first.Message);
        Assert.Equal(DeviceFailureKind.DeviceUnusable, later.Kind);
        Assert.Equal(first.Message, later.Message);
        Assert.Same(first, worker.Unusable);
    }

    [Fact]
    public async Task Other_libtorch_errors_fail_only_their_job_and_our_own_exceptions_pass_unchanged()
    {
        await using var worker = NewWorker("cpu");

        // (Not a matmul shape error: TorchSharp 0.107's THSTensor_matmul lets libtorch's exception escape and the process aborts.)
        var shapes = await Assert.ThrowsAsync<DeviceExecutionException>(() => worker.RunAsync(_ => torch.ones(6).view(4).sum().item<float>()));
        var own = await Assert.ThrowsAsync<ArgumentException>(() => worker.RunAsync<int>(_ => throw new ArgumentException("bad size")));
        var next = await worker.RunAsync(_ => 7);

        Assert.Equal(DeviceFailureKind.Error, shapes.Kind);
        Assert.StartsWith("cpu: libtorch error: ", shapes.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception raised from", shapes.Message, StringComparison.Ordinal);
        Assert.Equal("bad size", own.Message);
        Assert.Equal(7, next);
    }

    [Theory]
    [InlineData("CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.2 GiB is free.", DeviceFailureKind.OutOfMemory)]
    [InlineData("CUDA error: device-side assert triggered", DeviceFailureKind.DeviceUnusable)]
    [InlineData("CUDA error: unspecified launch failure", DeviceFailureKind.DeviceUnusable)]
    [InlineData("CUDA error: uncorrectable ECC error encountered", DeviceFailureKind.DeviceUnusable)]
    [InlineData("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`", DeviceFailureKind.OutOfMemory)]
    [InlineData("shape '[4]' is invalid for input of size 6", DeviceFailureKind.Error)]
    public void Libtorch_messages_are_classified_by_their_own_wording(string message, DeviceFailureKind expected) =>
        Assert.Equal(expected, DeviceFailures.Classify(message));

    [Fact]
    public void The_summary_drops_the_cpp_backtrace_and_the_debugging_hints() =>
        Assert.Equal("CUDA error: an illegal memory access was encountered.", DeviceFailures.Summary(IllegalAddress));

    [Fact]
    public async Task A_cuda_device_starts_only_where_this_process_has_cuda_and_says_why_not()
    {
        await using var worker = NewWorker("cuda:0");

        if (torch.cuda.is_available())
        {
            await worker.Ready;
            Assert.Equal(0, await worker.RunAsync(_ => torch.ones(1, device: worker.Device.Device).device.index));
            return;
        }

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.Ready);
        Assert.Contains("Device cuda:0 was configured but CUDA is not available to TorchSharp in this process", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_cuda_shim_its_calls_say_why_it_is_missing()
    {
        if (CudaShim.IsAvailable)
        {
            Assert.StartsWith("loaded from ", CudaShim.Status, StringComparison.Ordinal);
            return;
        }

        var failure = Assert.Throws<InvalidOperationException>(() => CudaShim.EmptyCache());
        Assert.Contains("libMovaCudaShim.so could not be loaded", failure.Message, StringComparison.Ordinal);
        Assert.False(DeviceContext.Parse("cpu").ReleaseCachedMemory());
    }

    private static DeviceWorker NewWorker(string device) => new(
        DeviceContext.Parse(device),
        new SyntheticExecutorFactory(Microsoft.Extensions.Options.Options.Create(new ExecutionOptions())),
        NullLogger<DeviceWorker>.Instance);
}
