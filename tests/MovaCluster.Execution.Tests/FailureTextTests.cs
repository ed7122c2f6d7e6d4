using System.ComponentModel;
using System.Runtime.InteropServices;
using MovaCluster.Execution.DeviceThreads;

namespace MovaCluster.Execution.Tests;

public sealed class FailureTextTests
{
    [Fact]
    public void A_wrapper_with_an_empty_tail_shows_its_innermost_cause()
    {
        var failure = new InvalidOperationException("ffmpeg could not mux 17 frames into an MP4: ",
            new InvalidDataException("pipe broke", new Win32Exception(13, "An error occurred trying to start process '/opt/tools/ffmpeg' with working directory '/srv/mova/silo'. Permission denied")));

        var text = FailureText.Describe(failure);

        Assert.Equal(
            "InvalidOperationException: ffmpeg could not mux 17 frames into an MP4 (cause: Win32Exception: An error occurred trying to start process 'ffmpeg' with working directory 'silo'. Permission denied)",
            text);
    }

    [Fact]
    public void Paths_on_the_worker_are_cut_to_their_last_part_and_urls_and_ratios_are_left_alone()
    {
        var text = FailureText.WithoutPaths("could not open /tmp/mova-job-1.mp4 or \"/var/lib/mova/models/MOVA-360p/\" (C:\\models\\x.bin); see http://example.com/a/b, 3/4 done, /");

        Assert.Equal("could not open mova-job-1.mp4 or \"MOVA-360p\" (x.bin); see http://example.com/a/b, 3/4 done, /", text);
    }

    [Fact]
    public void Aggregates_of_one_failure_say_that_failure()
    {
        var text = FailureText.Describe(new AggregateException(new TimeoutException("the device did not answer")));

        Assert.Equal("TimeoutException: the device did not answer", text);
    }

    [Fact]
    public void A_cause_the_message_already_quotes_is_not_repeated()
    {
        var text = FailureText.Describe(new InvalidOperationException("load failed: disk full", new IOException("disk full")));

        Assert.Equal("InvalidOperationException: load failed: disk full", text);
    }

    [Fact]
    public void A_device_failure_is_its_own_cause_and_libtorchs_backtrace_stays_out()
    {
        const string libtorch = "CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which 3.1 GiB is free.\n" +
            "Exception raised from malloc at /pytorch/c10/cuda/CUDACachingAllocator.cpp:1012 (most recent call first):\n" +
            "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x9d (0x7f in /opt/torch/lib/libc10.so)\n";
        var device = DeviceFailures.Describe(new ExternalException(libtorch), DeviceContext.Parse("cuda:0"));
        var wrapped = new InvalidOperationException("the denoise failed: ", device);

        foreach (var text in new[] { FailureText.Describe(device), FailureText.Describe(wrapped) })
        {
            Assert.Contains("DeviceExecutionException: cuda:0 ran out of memory: CUDA out of memory. Tried to allocate 20.00 GiB.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("frame #", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ExternalException", text, StringComparison.Ordinal);
        }
    }
}
