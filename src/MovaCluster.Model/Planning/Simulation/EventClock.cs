namespace MovaCluster.Model.Planning.Simulation;

/// <summary>Discrete-event time: actions run in time order (ties in scheduling order).</summary>
internal sealed class EventClock
{
    private readonly PriorityQueue<Action, (double Time, long Order)> _events = new();
    private long _order;

    public double Now { get; private set; }

    public void At(double time, Action action) => _events.Enqueue(action, (time, _order++));

    public void After(double delay, Action action) => At(Now + delay, action);

    public void RunToEnd()
    {
        while (_events.TryDequeue(out var action, out var when))
        {
            Now = when.Time;
            action();
        }
    }
}
