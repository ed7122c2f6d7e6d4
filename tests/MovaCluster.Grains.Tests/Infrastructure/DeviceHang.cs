namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>
/// Test-only switch shared by the test and its in-process silos: once armed, the first fresh (not resumed) run that
/// reaches <see cref="AtStep"/> blocks its device thread until <see cref="ReleaseDevice"/>, like a wedged GPU call.
/// </summary>
public static class DeviceHang
{
    private static int _armed;
    private static ManualResetEventSlim _release = new(initialState: true);

    public static int AtStep { get; private set; }

    /// <summary>Completes with the job id once a device thread is hanging.</summary>
    public static TaskCompletionSource<string> Hanging { get; private set; } = NewSource<string>();

    /// <summary>Completes once the hung run's executor returned (null) or threw (the exception).</summary>
    public static TaskCompletionSource<Exception?> HungRunEnded { get; private set; } = NewSource<Exception?>();

    public static void Arm(int atStep)
    {
        AtStep = atStep;
        _release = new ManualResetEventSlim(initialState: false);
        Hanging = NewSource<string>();
        HungRunEnded = NewSource<Exception?>();
        Volatile.Write(ref _armed, 1);
    }

    /// <summary>True for exactly one caller per <see cref="Arm"/>.</summary>
    public static bool TryClaim() => Interlocked.Exchange(ref _armed, 0) == 1;

    /// <summary>Blocks the calling (device) thread until released.</summary>
    public static void HangHere(string jobId)
    {
        Hanging.TrySetResult(jobId);
        _release.Wait();
    }

    public static void ReleaseDevice()
    {
        Volatile.Write(ref _armed, 0);
        _release.Set();
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
