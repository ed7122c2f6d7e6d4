using Microsoft.Extensions.Logging.Abstractions;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.TestDevices.Synthetic;
using TorchSharp;

namespace MovaCluster.Execution.Tests.DeviceThreads;

public sealed class DeviceWorkerTests
{
    [Fact]
    public async Task All_work_runs_on_one_dedicated_thread_that_is_not_the_callers()
    {
        await using var worker = NewWorker();
        var callers = new HashSet<int>();

        var threads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            lock (callers)
            {
                callers.Add(Environment.CurrentManagedThreadId);
            }

            return worker.RunAsync(_ => Environment.CurrentManagedThreadId);
        })));

        Assert.Single(threads.Distinct());
        Assert.DoesNotContain(threads[0], callers);
    }

    [Fact]
    public async Task Tensors_created_by_a_command_are_disposed_when_it_ends()
    {
        await using var worker = NewWorker();

        var tensor = await worker.RunAsync(_ => torch.ones(4, 4, device: worker.Device.Device));
        var aliveDuringNextCommand = await worker.RunAsync(_ => !tensor.IsInvalid);

        Assert.False(aliveDuringNextCommand);
        Assert.True(tensor.IsInvalid);
    }

    [Fact]
    public async Task A_failing_command_faults_its_task_and_the_worker_keeps_serving()
    {
        await using var worker = NewWorker();

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RunAsync<int>(_ => throw new InvalidOperationException("boom")));
        var next = await worker.RunAsync(executor => executor.Description.ModelName);

        Assert.Equal(SyntheticGenerationExecutor.ModelName, next);
    }

    [Fact]
    public async Task Work_after_disposal_is_refused_with_a_clear_error()
    {
        var worker = NewWorker();
        await worker.Ready;
        await worker.DisposeAsync();

        var error = Assert.Throws<ObjectDisposedException>(() => { _ = worker.RunAsync(_ => 1); });

        Assert.Contains("cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_names_are_parsed_or_rejected_by_name()
    {
        Assert.Equal("cpu:1", DeviceContext.Parse("cpu:1").Name);
        Assert.Equal(DeviceType.CPU, DeviceContext.Parse("cpu").Device.type);
        Assert.Contains("'tpu:0'", Assert.Throws<ArgumentException>(() => DeviceContext.Parse("tpu:0")).Message, StringComparison.Ordinal);
    }

    private static DeviceWorker NewWorker() => new(
        DeviceContext.Parse("cpu"),
        new SyntheticExecutorFactory(Microsoft.Extensions.Options.Options.Create(new ExecutionOptions())),
        NullLogger<DeviceWorker>.Instance);
}
