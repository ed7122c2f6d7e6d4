namespace MovaCluster.Model.Planning.Simulation;

/// <summary>
/// A cost-model device: it does no arithmetic; each task occupies it for the time the cost model gives. Waiting tasks
/// are served oldest job first, the policy the runtime uses so that jobs in flight drift apart instead of moving in
/// lock-step convoys that empty the pipeline whenever they start or finish together.
/// </summary>
internal sealed class SimulatedDevice(EventClock clock)
{
    private readonly PriorityQueue<(double Seconds, Action Then), (long Job, long Order)> _waiting = new();
    private long _order;
    private bool _busy;

    /// <summary>Video expert whose layers are resident (0 high-noise, 1 low-noise); swap plans change it.</summary>
    public int ResidentExpert { get; set; }

    public double BusySeconds { get; private set; }

    public void Run(long job, double seconds, Action then)
    {
        _waiting.Enqueue((seconds, then), (job, _order++));
        if (!_busy)
        {
            StartNext();
        }
    }

    private void StartNext()
    {
        if (!_waiting.TryDequeue(out var task, out _))
        {
            _busy = false;
            return;
        }

        _busy = true;
        BusySeconds += task.Seconds;
        clock.After(task.Seconds, () =>
        {
            task.Then();
            StartNext();
        });
    }
}
