namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Polls a condition with a deadline (cluster state converges asynchronously).</summary>
public static class Wait
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, double seconds = 30, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {seconds} s waiting for {what ?? "the condition"}; last value: {last}");
            }

            await Task.Delay(20);
            last = await probe();
        }

        return last;
    }
}
