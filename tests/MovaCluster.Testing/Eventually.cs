namespace MovaCluster.Testing;

/// <summary>Polls a condition until it holds or the time runs out (then fails with what was last seen).</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<T> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        T last;
        Exception? failure = null;
        while (true)
        {
            try
            {
                last = probe();
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                last = default!;
                failure = error;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {last?.ToString() ?? failure?.Message ?? "nothing"}", failure);
            }

            await Task.Delay(100);
        }
    }

    public static async Task<T> HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var last = await probe();
            if (condition(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {last}");
            }

            await Task.Delay(100);
        }
    }
}
